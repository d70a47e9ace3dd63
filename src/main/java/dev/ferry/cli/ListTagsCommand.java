package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.registry.TagListTruncatedException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

final class ListTagsCommand implements Callable<Integer> {

    final FerryCommand root;
    final RegistryOptions registry;
    String repository;

    ListTagsCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "list-tags", true,
                "List the tags of a repository, following pagination.");
        registry.addTo(spec);
        Specs.add(spec, Specs.parameter(String.class, v -> repository = v, "0").paramLabel("docker://REPOSITORY")
                .description("The repository, e.g. docker://registry.example/app"));
        return spec;
    }

    /** skopeo's output shape, as a tree: printing it needs no object mapper, whose set-up outweighs the request. */
    record TagList(String repository, List<String> tags) {
        ObjectNode tree() {
            ObjectNode tree = JsonNodeFactory.instance.objectNode();
            tree.put("Repository", repository);
            tags.forEach(tree.putArray("Tags")::add);
            return tree;
        }
    }

    @Override
    public Integer call() throws Exception {
        Repository repo = Transports.dockerRepository(repository);
        RegistryAccess access = registry.access(repo);
        try (Ferry ferry = root.ferry()) {
            JsonOutput.print(root.out, new TagList(repo.name(), ferry.listTags(repo, access)).tree());
        } catch (TagListTruncatedException e) {
            // The tags read so far still go out, and the failure (exit 7) says the list is cut.
            JsonOutput.print(root.out, new TagList(repo.name(), e.partial()).tree());
            throw e;
        }
        return ExitCodes.OK;
    }
}
