package dev.ferry.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Repository;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ShardTest {

    static List<Repository> repositories(int n) {
        List<Repository> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ImageReference.parseRepository("registry.example/team" + (i % 7) + "/app" + i));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8, 50})
    void theShardsOfAPlanAreDisjointAndTogetherCoverIt(int n) {
        List<Repository> all = repositories(500);
        Set<Repository> covered = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Shard shard = new Shard(i, n);
            for (Repository r : all) {
                if (shard.owns(r)) {
                    assertTrue(covered.add(r), r + " is in two shards");
                }
            }
        }
        assertEquals(new HashSet<>(all), covered);
    }

    @Test
    void aRepositoryFallsInTheSameShardEveryTime() {
        Repository r = ImageReference.parseRepository("docker.io/library/alpine");
        int owner = -1;
        for (int i = 0; i < 4; i++) {
            if (new Shard(i, 4).owns(r)) {
                owner = i;
            }
        }
        // SHA-256 of the name: fixed across runs, machines and JVMs
        assertEquals(owner, Shard.parse(owner + "/4").owns(r) ? owner : -2);
        assertTrue(new Shard(owner, 4).owns(ImageReference.parseRepository("alpine")));
    }

    @Test
    void fourShardsOfFiveHundredRepositoriesAreRoughlyEven() {
        int[] sizes = new int[4];
        for (Repository r : repositories(500)) {
            for (int i = 0; i < 4; i++) {
                sizes[i] += new Shard(i, 4).owns(r) ? 1 : 0;
            }
        }
        for (int size : sizes) {
            assertTrue(size > 80 && size < 170, java.util.Arrays.toString(sizes));
        }
    }

    @Test
    void aMalformedShardIsRefused() {
        for (String bad : List.of("4/4", "-1/2", "1", "a/b", "1/0")) {
            assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
        }
    }
}
