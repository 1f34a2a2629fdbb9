package ch.cern.alice.lakehouse.query.protocol;

import ch.cern.alice.lakehouse.query.trino.TrinoEndpoint;
import ch.cern.alice.lakehouse.support.security.Role;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Trino's client REST protocol ({@code POST /v1/statement}, its {@code nextUri} pages, {@code DELETE} to cancel,
 * {@code GET /v1/info}) on the protocol's HTTPS port; HTTP Basic against the lakehouse users like the REST API
 * (the same filter chain and login throttling). See {@link ProtocolService}. Not part of the REST API's OpenAPI
 * description: it is Trino's protocol, described by Trino.
 */
@Hidden
@RestController
public class TrinoProtocolController {

    private final ProtocolService protocol;
    private final TrinoEndpoint trino;
    private final RoleHierarchy roles;

    public TrinoProtocolController(ProtocolService protocol, TrinoEndpoint trino, RoleHierarchy roles) {
        this.protocol = protocol;
        this.trino = trino;
        this.roles = roles;
    }

    @PostMapping(path = "/v1/statement", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> statement(@RequestBody(required = false) String sql, HttpServletRequest request,
                                            Authentication auth) {
        Set<String> authorities = roles.getReachableGrantedAuthorities(auth.getAuthorities()).stream()
                .map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        ClientSession session = ClientSession.of(request, auth.getName(),
                authorities.contains(Role.ADMIN.authority()), authorities.contains(Role.RESEARCHER.authority()),
                protocol.lakeCatalog(), protocol.lakeSchema());
        return response(protocol.submit(session, sql));
    }

    @GetMapping(path = "/v1/statement/gateway/{id}/{token}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> next(@PathVariable String id, @PathVariable long token, Authentication auth) {
        return response(protocol.next(id, token, auth.getName()));
    }

    @DeleteMapping("/v1/statement/gateway/{id}/{token}")
    public ResponseEntity<Void> cancel(@PathVariable String id, @PathVariable long token, Authentication auth) {
        return protocol.cancel(id, auth.getName()) ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }

    /** Trino's server information (JDBC's getDatabaseProductVersion): Trino's own answer. */
    @GetMapping(path = "/v1/info", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> info() throws IOException {
        var response = trino.send(trino.request(trino.base().resolve("/v1/info")).GET().build());
        return ResponseEntity.status(response.statusCode()).contentType(MediaType.APPLICATION_JSON)
                .body(response.body());
    }

    private static ResponseEntity<String> response(ProtocolService.Reply reply) {
        HttpHeaders headers = new HttpHeaders();
        reply.headers().forEach(headers::addAll);
        headers.setContentType(MediaType.APPLICATION_JSON);
        return ResponseEntity.status(reply.status()).headers(headers).body(reply.body());
    }
}
