package ch.cern.alice.lakehouse.query.api;

import ch.cern.alice.lakehouse.query.catalog.CatalogService;
import ch.cern.alice.lakehouse.query.catalog.CatalogView;
import ch.cern.alice.lakehouse.query.catalog.RefreshResult;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.sql.SQLException;

@RestController
@RequestMapping("/api/v1/catalog")
public class CatalogController {

    private final CatalogService catalog;

    public CatalogController(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    @PreAuthorize("hasRole('VIEWER')")
    public CatalogView browse(@RequestParam(required = false) String ref, Authentication auth) throws SQLException {
        return catalog.browse(auth.getName(), ref);
    }

    /** etl-service calls it after each run with its service account. */
    @PostMapping("/refresh")
    @PreAuthorize("hasAnyRole('ADMIN', 'SERVICE')")
    public RefreshResult refresh(Authentication auth) throws SQLException {
        return catalog.refresh(auth.getName());
    }
}
