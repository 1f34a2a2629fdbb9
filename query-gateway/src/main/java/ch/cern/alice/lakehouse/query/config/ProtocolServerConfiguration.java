package ch.cern.alice.lakehouse.query.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The protocol's HTTPS port: a second Tomcat connector beside the REST API's, with the operator's certificate
 * ({@code QUERY_PROTOCOL_KEYSTORE}). The protocol's paths ({@code /v1/...}) answer on that port only and the REST API
 * not on it; both share the filters, so logins, throttling and the audit log are the REST API's.
 */
@Configuration(proxyBeanMethods = false)
public class ProtocolServerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProtocolServerConfiguration.class);

    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> trinoProtocolConnector(
            ProtocolProperties protocol, Environment environment) {
        return factory -> {
            if (!protocol.enabled()) {
                log.info("Trino client protocol is off: QUERY_PROTOCOL_KEYSTORE is not set");
                return;
            }
            Path keystore = Path.of(protocol.keystore());
            if (!Files.isReadable(keystore)) {
                throw new IllegalStateException("QUERY_PROTOCOL_KEYSTORE=" + keystore + " is not a readable file: "
                        + "the Trino client protocol needs the server's key and certificate as a PKCS12 file "
                        + "(docs/operator-guide.md), or leave QUERY_PROTOCOL_KEYSTORE empty to turn the protocol off");
            }
            Connector connector = new Connector(Http11NioProtocol.class.getName());
            connector.setPort(protocol.portOrDefault());
            connector.setScheme("https");
            connector.setSecure(true);
            Http11NioProtocol http = (Http11NioProtocol) connector.getProtocolHandler();
            String address = environment.getProperty("server.address");
            if (address != null && !address.isBlank()) {
                try {
                    http.setAddress(InetAddress.getByName(address.strip()));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("server.address " + address + " cannot be resolved", e);
                }
            }
            http.setSSLEnabled(true);
            SSLHostConfig ssl = new SSLHostConfig();
            SSLHostConfigCertificate certificate =
                    new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateKeystoreFile(keystore.toAbsolutePath().toString());
            certificate.setCertificateKeystoreType("PKCS12");
            if (protocol.keystorePassword() != null) {
                certificate.setCertificateKeystorePassword(protocol.keystorePassword());
            }
            ssl.addCertificate(certificate);
            http.addSslHostConfig(ssl);
            factory.addAdditionalConnectors(connector);
            log.info("Trino client protocol on https://{}:{}", address == null ? "*" : address,
                    protocol.portOrDefault());
        };
    }

    /** {@code /v1/...} only on the protocol's port, everything else only on the REST API's: 404 otherwise. */
    @Bean
    public FilterRegistrationBean<OncePerRequestFilter> trinoProtocolPortFilter(ProtocolProperties protocol) {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                boolean protocolPort = protocol.enabled() && request.getLocalPort() == protocol.portOrDefault();
                String path = request.getRequestURI().substring(request.getContextPath().length());
                boolean protocolPath = path.startsWith("/v1/");
                if (protocolPort != protocolPath) {
                    response.sendError(HttpServletResponse.SC_NOT_FOUND);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
