package ch.cern.alice.lakehouse.collector.api;

import ch.cern.alice.lakehouse.collector.auth.SiteGrant;
import ch.cern.alice.lakehouse.collector.auth.SiteKeyRegistry;
import ch.cern.alice.lakehouse.collector.config.CollectorProperties;
import ch.cern.alice.lakehouse.collector.intake.BodyFormat;
import ch.cern.alice.lakehouse.collector.intake.BodyTooLargeException;
import ch.cern.alice.lakehouse.collector.intake.InflightLimiter;
import ch.cern.alice.lakehouse.collector.intake.IntakeResult;
import ch.cern.alice.lakehouse.collector.intake.LimitedInputStream;
import ch.cern.alice.lakehouse.collector.intake.MalformedBodyException;
import ch.cern.alice.lakehouse.collector.intake.RecordIntake;
import ch.cern.alice.lakehouse.collector.security.CollectorSecurityConfiguration;
import ch.cern.alice.lakehouse.common.dataset.DatasetCatalog;
import ch.cern.alice.lakehouse.common.dataset.DatasetDescriptor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code POST /api/v1/datasets/{dataset}/records}: a site sends a JSON array or NDJSON of records, optionally
 * gzip-compressed. 202 once Kafka acknowledged every valid record, 400 if none was valid.
 */
@RestController
class RecordsController {

    static final String API_KEY_HEADER = "X-Api-Key";

    private final SiteKeyRegistry siteKeys;
    private final DatasetCatalog catalog;
    private final RecordIntake intake;
    private final InflightLimiter inflight;
    private final long maxBodyBytes;

    RecordsController(SiteKeyRegistry siteKeys, DatasetCatalog catalog, RecordIntake intake, InflightLimiter inflight,
                      CollectorProperties properties) {
        this.siteKeys = siteKeys;
        this.catalog = catalog;
        this.intake = intake;
        this.inflight = inflight;
        this.maxBodyBytes = properties.maxBodyBytes().toBytes();
    }

    @PostMapping("/api/v1/datasets/{dataset}/records")
    @Operation(summary = "Send records of one dataset",
            description = "Body: a JSON array (application/json) or one record per line (application/x-ndjson), "
                    + "optionally Content-Encoding: gzip; header X-Api-Key: the site's key. The key's site owns the "
                    + "records: a record whose site field names another site is rejected, an absent one is filled in. "
                    + "Every record ends in exactly one list of the answer: accepted (counted), rejected (index + "
                    + "reasons: invalid, over COLLECTOR_MAX_RECORD_BYTES, refused by Kafka), duplicates (index + "
                    + "index of the earlier record of this body it repeats; published once). A user login "
                    + "(Authorization) is ignored here: only a site key sends records.",
            security = @SecurityRequirement(name = CollectorSecurityConfiguration.SITE_KEY_SCHEME))
    @ApiResponses({
            @ApiResponse(responseCode = "202", description = "Kafka acknowledged every accepted record; the lists say "
                    + "what happened to the others", content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = IntakeResult.class))),
            @ApiResponse(responseCode = "400", description = "No record accepted (same body shape), or a problem: "
                    + "malformed JSON (record index, line, column) or bad gzip", content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = IntakeResult.class))),
            @ApiResponse(responseCode = "401", description = "Missing or unknown X-Api-Key", content = @Content(
                    mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class))),
            @ApiResponse(responseCode = "403", description = "The key may not send this dataset", content = @Content(
                    mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class))),
            @ApiResponse(responseCode = "404", description = "Unknown dataset (lists the known ones)",
                    content = @Content(
                    mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class))),
            @ApiResponse(responseCode = "413", description = "Body over COLLECTOR_MAX_BODY_BYTES (before or after "
                    + "gzip) or more than COLLECTOR_MAX_RECORDS records", content = @Content(
                    mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class))),
            @ApiResponse(responseCode = "415", description = "Other Content-Type or Content-Encoding",
                    content = @Content(
                    mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class))),
            @ApiResponse(responseCode = "429", description = "Too many requests in flight; Retry-After",
                    content = @Content(
                    mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class))),
            @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time; Retry-After, send "
                    + "the whole batch again", content = @Content(
                    mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))})
    ResponseEntity<IntakeResult> postRecords(@PathVariable String dataset,
                                             @Parameter(hidden = true) HttpServletRequest request)
            throws IOException {
        String presentedKey = request.getHeader(API_KEY_HEADER);
        if (presentedKey == null || presentedKey.isBlank()) {
            throw new ApiKeyRejectedException("missing " + API_KEY_HEADER + " header");
        }
        SiteGrant grant = siteKeys.authenticate(presentedKey)
                .orElseThrow(() -> new ApiKeyRejectedException("unknown API key"));
        DatasetDescriptor descriptor = catalog.get(dataset);
        if (!grant.mayWrite(dataset)) {
            throw new DatasetForbiddenException("the API key of site " + grant.site()
                    + " may not send dataset '" + dataset + "'");
        }
        BodyFormat format = BodyFormat.fromContentType(request.getContentType()).orElseThrow(() ->
                new UnsupportedBodyException("Content-Type must be application/json (a JSON array of records) or "
                        + "application/x-ndjson (one record per line), got " + request.getContentType()));
        boolean gzip = isGzip(request.getHeader("Content-Encoding"));
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw new BodyTooLargeException("the request body (" + request.getContentLengthLong()
                    + " bytes) exceeds the limit of " + maxBodyBytes + " bytes");
        }
        if (!inflight.tryAcquire()) {
            throw new TooBusyException("too many requests in flight (" + inflight.capacity() + "); retry later");
        }
        try {
            IntakeResult result = intake.intake(grant.site(), descriptor, body(request, gzip), format);
            HttpStatus status = result.accepted() > 0 ? HttpStatus.ACCEPTED : HttpStatus.BAD_REQUEST;
            return ResponseEntity.status(status).body(result);
        } finally {
            inflight.release();
        }
    }

    private InputStream body(HttpServletRequest request, boolean gzip) throws IOException {
        InputStream raw = new LimitedInputStream(request.getInputStream(), maxBodyBytes, "request body");
        if (!gzip) {
            return raw;
        }
        try {
            return new LimitedInputStream(new GZIPInputStream(raw, 64 * 1024), maxBodyBytes,
                    "decompressed request body");
        } catch (ZipException | EOFException e) {
            throw new MalformedBodyException("the body is not valid gzip (Content-Encoding: gzip): " + e.getMessage(),
                    e);
        }
    }

    private static boolean isGzip(String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return false;
        }
        String encoding = contentEncoding.strip().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "identity" -> false;
            case "gzip", "x-gzip" -> true;
            default -> throw new UnsupportedBodyException("Content-Encoding must be gzip or identity, got "
                    + contentEncoding);
        };
    }
}
