/**
 * The workbench: runs a step's deployment package on this machine as Lambda would, collects the
 * trace, and shows it.
 *
 * <ul>
 *   <li>{@link io.github.xrayworkbook.workbench.runtime}: the Lambda side: a local Runtime API and
 *       the function's own JVM under the real runtime interface client;</li>
 *   <li>{@link io.github.xrayworkbook.workbench.run}: one local run of a step, from starting the
 *       stand-ins to each invocation's assembled trace (a step with a REST API and a queue:
 *       {@code LocalRequestPath});</li>
 *   <li>{@link io.github.xrayworkbook.workbench.apigateway}: a REST API stage in front of a
 *       function, as a stand-in;</li>
 *   <li>{@link io.github.xrayworkbook.workbench.eventsource}: Lambda's SQS event source mapping,
 *       as a stand-in;</li>
 *   <li>{@link io.github.xrayworkbook.workbench.trace}: one model of a trace, assembled from the
 *       emulated Lambda segments and the SDK's documents, read from and written as
 *       {@code batch-get-traces} JSON;</li>
 *   <li>{@link io.github.xrayworkbook.workbench.view}: the trace as a terminal timeline, a service
 *       map (text and SVG) and one self-contained HTML page;</li>
 *   <li>{@link io.github.xrayworkbook.workbench.cli}: the {@code run} and {@code view} commands.</li>
 * </ul>
 */
package io.github.xrayworkbook.workbench;
