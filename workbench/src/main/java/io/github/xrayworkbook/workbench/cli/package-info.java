/** The workbench's command line: {@code run step-N} and {@code view FILE}. */
package io.github.xrayworkbook.workbench.cli;
