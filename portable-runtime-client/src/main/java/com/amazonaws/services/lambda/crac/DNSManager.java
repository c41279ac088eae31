package com.amazonaws.services.lambda.crac;

/**
 * A pure-Java stand-in for the runtime interface client's class of the same name, whose one method
 * is native: in the client 2.10.1, {@code ContextImpl.beforeCheckpoint} calls {@code clearCache()}
 * after the {@code beforeCheckpoint} hooks, so that host names resolved before the snapshot are
 * resolved again after a restore. Without the client's JNI library that call would throw
 * {@code UnsatisfiedLinkError}, an error the client does not catch, and end every SnapStart run.
 *
 * <p>It does nothing. On this machine no snapshot is taken: the JVM that resolved the names is the
 * one that goes on, so its cached addresses stay as good as they were. (Clearing
 * {@code InetAddress}'s cache from Java would also need {@code java.base/java.net} opened, which
 * Lambda's command line does not do.)
 */
final class DNSManager {

    private DNSManager() {
    }

    static void clearCache() {
        // Nothing to clear: see the class comment.
    }
}
