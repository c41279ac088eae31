/** Step 1: a blank function with Active tracing and no X-Ray dependency at all. */
package io.github.xrayworkbook.step1;
