/**
 * Step 6: step 2's function with its first S3 read moved ahead of the first invocation (priming),
 * in org.crac's {@code beforeCheckpoint} hook for SnapStart or in the constructor without it.
 */
package io.github.xrayworkbook.step6;
