package ch.cern.alice.lakehouse.etl.api;

import ch.cern.alice.lakehouse.etl.run.EtlRun;
import ch.cern.alice.lakehouse.etl.run.RunService;
import ch.cern.alice.lakehouse.etl.run.RunTrigger;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

@RestController
@RequestMapping("/api/v1/etl/runs")
public class RunController {

    public record TriggerRequest(String dataset) {
    }

    public record RunPage(int page, int size, long total, List<EtlRun> runs) {
    }

    private final RunService service;

    public RunController(RunService service) {
        this.service = service;
    }

    /** {"dataset":"trace"} runs one dataset, {} every dataset without a run in progress. */
    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<List<EtlRun>> trigger(@RequestBody(required = false) TriggerRequest request,
                                                Authentication user) {
        String dataset = request == null || request.dataset() == null || request.dataset().isBlank()
                ? null : request.dataset().strip();
        List<EtlRun> runs = dataset == null ? service.triggerAll(RunTrigger.API, user.getName())
                : List.of(service.trigger(dataset, RunTrigger.API, user.getName()));
        if (runs.isEmpty()) {
            throw new RunService.RunConflictException("every dataset already has a queued or running run");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(runs);
    }

    @GetMapping
    @PreAuthorize("hasRole('VIEWER')")
    public RunPage list(@RequestParam(required = false) String dataset,
                        @RequestParam(defaultValue = "0") int page,
                        @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw new IllegalArgumentException("page must be >= 0 and size between 1 and 500");
        }
        String ds = dataset == null || dataset.isBlank() ? null : dataset;
        return new RunPage(page, size, service.count(ds), service.page(ds, page, size));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('VIEWER')")
    public EtlRun get(@PathVariable long id) {
        return service.get(id);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    public EtlRun cancel(@PathVariable long id, Authentication user) {
        return service.cancel(id, user.getName());
    }
}
