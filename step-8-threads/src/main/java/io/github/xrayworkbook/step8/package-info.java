/**
 * Step 8: many at once. The same S3 read three times at once inside one invocation, traced with
 * the X-Ray SDK three ways: a shared pool with nothing passed, a shared pool with the X-Ray entity
 * passed to each task, and threads made per invocation with the entity passed; and how each holds
 * up when Lambda runs many invocations in one environment (Lambda Managed Instances).
 */
package io.github.xrayworkbook.step8;
