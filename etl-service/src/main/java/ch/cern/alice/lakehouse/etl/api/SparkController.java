package ch.cern.alice.lakehouse.etl.api;

import ch.cern.alice.lakehouse.etl.spark.WarmSparkApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The warm Spark application's state: starting/ready/restarting, pid, restarts, last error. */
@RestController
@RequestMapping("/api/v1/etl/spark")
public class SparkController {

    private final WarmSparkApplication application;

    public SparkController(WarmSparkApplication application) {
        this.application = application;
    }

    @GetMapping
    @PreAuthorize("hasRole('VIEWER')")
    public WarmSparkApplication.Status status() {
        return application.status();
    }
}
