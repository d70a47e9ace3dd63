package dev.ferry.unpack;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The few system calls the JDK does not offer, through the FFM API: xattrs in every namespace
 * (the JDK's view reaches only {@code user.*} and opens the node), chmod without opening the node,
 * and mknod. Paths passed here
 * are always ones {@link RootResolver} confined; nothing from a layer is ever executed.
 */
final class PosixCalls {

    static final int EPERM = 1;
    static final int ENODATA = 61;
    static final int ENOTSUP = 95;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;
    private static final MethodHandle LSETXATTR = handle("lsetxattr",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle LGETXATTR = handle("lgetxattr",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle LLISTXATTR = handle("llistxattr",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ADDRESS, ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle FCHMODAT = handle("fchmodat",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final MethodHandle UTIMENSAT = handle("utimensat",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ADDRESS, ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle MKNOD = handle("mknod",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));

    /** Bounds what is read back: the kernel's own limit for one value is 64 KiB. */
    private static final int MAX_XATTR = 64 * 1024;

    private PosixCalls() {
    }

    /** A failed call, carrying errno so callers can tell "not permitted here" from real failures. */
    static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String call, Path path, int errno) {
            super(call + " failed on " + path + " (errno " + errno + ")");
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /** lsetxattr(2): sets an attribute on the node itself, never on what a symlink names. */
    static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment data = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, data, ValueLayout.JAVA_BYTE, 0, value.length);
            int rc = (int) LSETXATTR.invokeExact(state, cString(arena, path), arena.allocateFrom(name), data,
                    (long) value.length, 0);
            if (rc != 0) {
                throw new ErrnoException("lsetxattr " + name, path, errno(state));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** lgetxattr(2); null when the node has no such attribute. */
    static byte[] lgetxattr(Path path, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buffer = arena.allocate(MAX_XATTR);
            long n = (long) LGETXATTR.invokeExact(state, cString(arena, path), arena.allocateFrom(name), buffer,
                    (long) MAX_XATTR);
            if (n < 0) {
                int errno = errno(state);
                if (errno == ENODATA) {
                    return null;
                }
                throw new ErrnoException("lgetxattr " + name, path, errno);
            }
            return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** llistxattr(2): the names of a node's attributes (those this process may see). */
    static List<String> llistxattr(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buffer = arena.allocate(MAX_XATTR);
            long n = (long) LLISTXATTR.invokeExact(state, cString(arena, path), buffer, (long) MAX_XATTR);
            if (n < 0) {
                int errno = errno(state);
                if (errno == ENOTSUP) {
                    return List.of();
                }
                throw new ErrnoException("llistxattr", path, errno);
            }
            byte[] names = buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            List<String> result = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < names.length; i++) {
                if (names[i] == 0) {
                    if (i > start) {
                        result.add(new String(names, start, i - start, StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
            return result;
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * chmod(2) by name. The JDK's chmod opens the node first (to fchmod it), which blocks on a FIFO
     * and would open a device; callers pass only nodes known not to be symlinks.
     */
    static void chmod(Path path, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) FCHMODAT.invokeExact(state, AT_FDCWD, cString(arena, path), mode, 0);
            if (rc != 0) {
                throw new ErrnoException("chmod", path, errno(state));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Access and modification time of the node itself (utimensat with AT_SYMLINK_NOFOLLOW). The
     * JDK's setTimes opens the node first, which blocks on a FIFO.
     */
    static void setTimes(Path path, long seconds, long nanos) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4);
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, seconds);
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, nanos);
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, seconds);
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, nanos);
            int rc = (int) UTIMENSAT.invokeExact(state, AT_FDCWD, cString(arena, path), times, AT_SYMLINK_NOFOLLOW);
            if (rc != 0) {
                throw new ErrnoException("utimensat", path, errno(state));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** mknod(2) with the file-type bits in {@code mode} (S_IFCHR, S_IFBLK or S_IFIFO). */
    static void mknod(Path path, int mode, long major, long minor) throws IOException {
        long dev = ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) MKNOD.invokeExact(state, cString(arena, path), mode, dev);
            if (rc != 0) {
                throw new ErrnoException("mknod", path, errno(state));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MemorySegment cString(Arena arena, Path path) {
        String s = path.toString();
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in a path");
        }
        return arena.allocateFrom(s);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
