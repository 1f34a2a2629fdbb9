package ch.cern.alice.lakehouse.versioning.api;

import ch.cern.alice.lakehouse.versioning.domain.CommitService;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** {@code main} always exists: created with an initial empty commit at first start. */
@Component
class MainBranchInitializer implements ApplicationRunner {

    private final CommitService commits;

    MainBranchInitializer(CommitService commits) {
        this.commits = commits;
    }

    @Override
    public void run(ApplicationArguments args) {
        commits.ensureMainExists();
    }
}
