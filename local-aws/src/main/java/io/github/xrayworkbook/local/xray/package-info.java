/**
 * The X-Ray side of the machine: a UDP listener speaking the daemon protocol, the documents it
 * receives, and the trace header Lambda hands to a function.
 */
package io.github.xrayworkbook.local.xray;
