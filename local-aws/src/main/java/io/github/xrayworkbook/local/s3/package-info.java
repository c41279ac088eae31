/** An embedded S3-compatible server for the steps that read from S3. */
package io.github.xrayworkbook.local.s3;
