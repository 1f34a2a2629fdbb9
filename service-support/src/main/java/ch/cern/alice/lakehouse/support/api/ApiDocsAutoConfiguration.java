package ch.cern.alice.lakehouse.support.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Names each service's OpenAPI description after the service and declares the HTTP Basic login every call needs
 * (served at {@code /v3/api-docs}, browsable at {@code /swagger-ui.html}; see docs/api/).
 */
@AutoConfiguration
public class ApiDocsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public OpenAPI lakehouseOpenApi(@Value("${spring.application.name:lakehouse-service}") String service) {
        return new OpenAPI()
                .info(new Info().title(service + " API").version("v1")
                        .description("ALICE Data Lakehouse: " + service + ". Users and roles: docs/contracts.md."))
                .components(new Components().addSecuritySchemes("basicAuth",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("basicAuth"));
    }
}
