package io.github.xrayworkbook.workbench.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The label on every document the workbench writes in place of an AWS service: metadata in the
 * {@code workbench} namespace, which X-Ray shows in the console's metadata tab and no SDK writes.
 */
public final class Emulated {

    public static final String NAMESPACE = "workbench";

    private Emulated() {
    }

    static void label(ObjectNode document, String inPlaceOf) {
        document.putObject("metadata").putObject(NAMESPACE)
                .put("emulated", "Written by the workbench in place of " + inPlaceOf);
    }

    public static boolean isLabelled(JsonNode document) {
        return document.path("metadata").has(NAMESPACE);
    }
}
