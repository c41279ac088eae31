/**
 * Step 2: the function reads {@code sample_data.json} from S3. The X-Ray instrumentor jar on the
 * classpath traces every AWS SDK v2 client, the Java twin of Python's {@code patch_all()}.
 */
package io.github.xrayworkbook.step2;
