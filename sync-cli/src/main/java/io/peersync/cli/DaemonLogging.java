package io.peersync.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.file.Path;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Switches logging from the client commands' silence to the daemon's: INFO on stderr, and everything in
 * {@code $PEERSYNC_LOG_DIR} (default {@code HOME/logs}) with stack traces.
 */
final class DaemonLogging {
    static final String LOG_DIR_PROPERTY = "peersync.log.dir";

    private DaemonLogging() {
    }

    static void configure(Path home) {
        String fromEnv = System.getenv("PEERSYNC_LOG_DIR");
        Path dir = fromEnv == null || fromEnv.isBlank() ? home.resolve("logs") : Path.of(fromEnv);
        System.setProperty(LOG_DIR_PROPERTY, dir.toAbsolutePath().toString());
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        URL config = DaemonLogging.class.getResource("/logback-daemon.xml");
        if (!(factory instanceof LoggerContext context) || config == null) {
            return;
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            // Logback reports its own configuration errors on the console; the daemon still runs.
        }
    }
}
