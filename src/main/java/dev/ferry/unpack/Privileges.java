package dev.ferry.unpack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may chown and mknod: its effective uid, from /proc (no name lookups). */
final class Privileges {

    private Privileges() {
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: take the unprivileged way, which never fails for lack of rights
        }
        return false;
    }
}
