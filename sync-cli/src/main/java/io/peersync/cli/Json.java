package io.peersync.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.peersync.daemon.control.ControlJson;
import java.io.PrintWriter;

/** JSON on stdout, with the same field names as the control API. */
final class Json {
    private static final ObjectWriter PRETTY = ControlJson.mapper().writerWithDefaultPrettyPrinter();
    private static final ObjectWriter COMPACT = ControlJson.mapper().writer();

    private Json() {
    }

    /** Prints {@code value} indented, for people and scripts alike. */
    static void print(PrintWriter out, Object value) {
        out.println(write(PRETTY, value));
        out.flush();
    }

    /** Prints {@code value} on a single line, for streams of documents. */
    static void printLine(PrintWriter out, Object value) {
        out.println(write(COMPACT, value));
        out.flush();
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }
}
