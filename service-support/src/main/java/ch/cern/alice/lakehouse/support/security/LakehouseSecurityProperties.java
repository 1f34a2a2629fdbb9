package ch.cern.alice.lakehouse.support.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param users users as {@code name:password:role;...} (env {@code LAKEHOUSE_USERS})
 */
@ConfigurationProperties("lakehouse.security")
public record LakehouseSecurityProperties(String users) {
}
