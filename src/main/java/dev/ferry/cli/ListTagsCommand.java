package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.registry.TagListTruncatedException;
import java.util.List;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.annotation.JsonProperty;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "list-tags", description = "List the tags of a repository, following pagination.")
final class ListTagsCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    @Mixin
    RegistryOptions registry;

    @Parameters(paramLabel = "docker://REPOSITORY", description = "The repository, e.g. docker://registry.example/app")
    String repository;

    /** skopeo's output shape. */
    record TagList(@JsonProperty("Repository") String repository, @JsonProperty("Tags") List<String> tags) {
    }

    @Override
    public Integer call() throws Exception {
        Repository repo = Transports.dockerRepository(repository);
        RegistryAccess access = registry.access(repo);
        try (Ferry ferry = root.ferry()) {
            JsonOutput.print(root.out, new TagList(repo.name(), ferry.listTags(repo, access)));
        } catch (TagListTruncatedException e) {
            // The tags read so far still go out, and the failure (exit 7) says the list is cut.
            JsonOutput.print(root.out, new TagList(repo.name(), e.partial()));
            throw e;
        }
        return ExitCodes.OK;
    }
}
