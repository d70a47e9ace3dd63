package dev.ferry.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything a root filesystem's comparison looks at, per path: kind, mode bits, owner, link
 * target, content digest, hard-link group (the first path of the inode), and xattrs.
 */
record TreeSnapshot(Map<String, Node> nodes) {

    record Node(String kind, int mode, int uid, int gid, String target, String sha256, String linkGroup,
            Map<String, String> xattrs) {

        /** The same node without its owner, for peers that record owners elsewhere. */
        Node withoutXattr(String name) {
            Map<String, String> rest = new TreeMap<>(xattrs);
            rest.remove(name);
            return new Node(kind, mode, uid, gid, target, sha256, linkGroup, rest);
        }
    }

    static TreeSnapshot of(Path root) {
        Map<String, Node> nodes = new TreeMap<>();
        Map<Object, String> firstOfInode = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                long ino = (Long) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                String kind = switch (mode & 0170000) {
                    case 0040000 -> "dir";
                    case 0100000 -> "file";
                    case 0120000 -> "symlink";
                    case 0010000 -> "fifo";
                    case 0020000 -> "char";
                    case 0060000 -> "block";
                    default -> "other";
                };
                String target = kind.equals("symlink") ? Files.readSymbolicLink(p).toString() : null;
                String sha = kind.equals("file") ? sha256(p) : null;
                String group = kind.equals("dir") ? null : firstOfInode.computeIfAbsent(ino, i -> rel);
                Map<String, String> xattrs = new TreeMap<>();
                for (String name : PosixCalls.llistxattr(p)) {
                    xattrs.put(name, HexFormat.of().formatHex(PosixCalls.lgetxattr(p, name)));
                }
                nodes.put(rel, new Node(kind, mode & 07777, uid, gid, target, sha, group, xattrs));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TreeSnapshot(nodes);
    }

    private static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
