package io.peersync.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;

/** Logback {@code %oneLineEx}: an exception's cause chain on the log line itself, never a stack trace. */
public final class OneLineThrowable extends ThrowableHandlingConverter {

    @Override
    public String convert(ILoggingEvent event) {
        IThrowableProxy proxy = event.getThrowableProxy();
        if (proxy == null) {
            return "";
        }
        StringBuilder text = new StringBuilder(" (");
        for (int depth = 0; proxy != null && depth < 3; depth++, proxy = proxy.getCause()) {
            if (depth > 0) {
                text.append(", caused by ");
            }
            String name = proxy.getClassName();
            text.append(name.substring(name.lastIndexOf('.') + 1));
            if (proxy.getMessage() != null) {
                text.append(": ").append(proxy.getMessage().lines().findFirst().orElse(""));
            }
        }
        return text.append(')').toString();
    }
}
