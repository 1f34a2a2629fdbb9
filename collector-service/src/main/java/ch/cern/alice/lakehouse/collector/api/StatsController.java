package ch.cern.alice.lakehouse.collector.api;

import ch.cern.alice.lakehouse.collector.security.CollectorSecurityConfiguration;
import ch.cern.alice.lakehouse.collector.stats.CollectorStats;
import ch.cern.alice.lakehouse.collector.stats.StatsSnapshot;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/stats}: accepted/rejected record counts per site and dataset since start. Needs a user login,
 * viewer or above (see {@link CollectorSecurityConfiguration}); a site's API key is no login.
 */
@RestController
class StatsController {

    private final CollectorStats stats;

    StatsController(CollectorStats stats) {
        this.stats = stats;
    }

    @GetMapping("/api/v1/stats")
    @Operation(summary = "Record counts per site and dataset since start",
            description = "Needs a user login (HTTP Basic, LAKEHOUSE_USERS), viewer or above; a site API key is "
                    + "not accepted here.",
            security = @SecurityRequirement(name = CollectorSecurityConfiguration.USER_LOGIN_SCHEME))
    @ApiResponses({
            @ApiResponse(responseCode = "200", description = "Counts since start", content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = StatsSnapshot.class))),
            @ApiResponse(responseCode = "401", description = "No or wrong user login (an X-Api-Key is no login)",
                    content = @Content()),
            @ApiResponse(responseCode = "403", description = "The account's role may not read statistics (e.g. a "
                    + "METRICS scrape account)", content = @Content()),
            @ApiResponse(responseCode = "429", description = "Too many failed logins for this user or address; "
                    + "Retry-After (seconds), also in retryAfterSeconds", content = @Content(
                    mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))})
    StatsSnapshot stats() {
        return stats.snapshot();
    }
}
