package ch.cern.alice.lakehouse.etl.api;

import ch.cern.alice.lakehouse.etl.run.EtlRun;
import ch.cern.alice.lakehouse.etl.run.RunService;
import ch.cern.alice.lakehouse.etl.run.RunTrigger;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maintenance runs on demand (admins): {@code POST /api/v1/etl/maintenance {"kind":"optimize","dataset":"trace",
 * "partitions":["year=2024/month=6"]}} or {@code {"kind":"vacuum"}} for every dataset. They are runs like the others:
 * listed, followed and cancelled under {@code /api/v1/etl/runs}, with their kind.
 */
@RestController
@RequestMapping("/api/v1/etl/maintenance")
public class MaintenanceController {

    /** Hive-style partition names as Delta writes them: year=2024/month=6. */
    private static final Pattern PARTITION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}=[A-Za-z0-9_%.\\-]{1,100}"
            + "(/[A-Za-z_][A-Za-z0-9_]{0,62}=[A-Za-z0-9_%.\\-]{1,100}){0,3}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record MaintenanceRequest(String kind, String dataset, List<String> partitions) {
    }

    private final RunService service;

    public MaintenanceController(RunService service) {
        this.service = service;
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<List<EtlRun>> trigger(@RequestBody MaintenanceRequest request, Authentication user) {
        if (request == null || request.kind() == null
                || !(EtlRun.OPTIMIZE.equals(request.kind()) || EtlRun.VACUUM.equals(request.kind()))) {
            throw new IllegalArgumentException("kind must be optimize or vacuum");
        }
        List<String> partitions = request.partitions() == null ? List.of() : request.partitions();
        if (!partitions.isEmpty() && EtlRun.VACUUM.equals(request.kind())) {
            throw new IllegalArgumentException("partitions apply to optimize only");
        }
        if (partitions.size() > 1000 || partitions.stream().anyMatch(p -> p == null || !PARTITION.matcher(p).matches())) {
            throw new IllegalArgumentException("partitions are names like year=2024/month=6 (at most 1000)");
        }
        String dataset = request.dataset() == null || request.dataset().isBlank() ? null : request.dataset().strip();
        String body = null;
        if (!partitions.isEmpty()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("partitions", partitions);
            body = JSON.writeValueAsString(r);
        }
        List<EtlRun> runs = new ArrayList<>();
        if (dataset != null) {
            runs.add(service.triggerMaintenance(dataset, request.kind(), RunTrigger.API, user.getName(), body));
        } else {
            for (String name : service.datasets()) {
                service.tryTriggerMaintenance(name, request.kind(), RunTrigger.API, user.getName()).ifPresent(runs::add);
            }
        }
        if (runs.isEmpty()) {
            throw new RunService.RunConflictException("every dataset already has a queued or running run");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(runs);
    }
}
