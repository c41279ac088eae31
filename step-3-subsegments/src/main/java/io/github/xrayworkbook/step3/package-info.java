/**
 * Step 3: step 2 plus a custom subsegment, {@code Throwing exception}, carrying an annotation,
 * metadata and the exception that fails the invocation on purpose.
 */
package io.github.xrayworkbook.step3;
