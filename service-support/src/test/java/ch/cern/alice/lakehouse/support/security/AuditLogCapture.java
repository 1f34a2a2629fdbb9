package ch.cern.alice.lakehouse.support.security;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The lines written to the {@code lakehouse.audit} logger while it is open. */
final class AuditLogCapture implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(SecurityAuditLog.LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    AuditLogCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
