package io.stagedrollout.core.text;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A data binding with Jackson's defaults, shared by the code that reads or writes free-form JSON (a webhook's body,
 * an HTTP probe's answer, a plan's settings the direct conversions do not take on). Built on first use: every
 * driving command registers the kinds that use it, and building it costs a short command some 50 ms (issue 18).
 */
public final class PlainJson {
    private PlainJson() {}

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }
}
