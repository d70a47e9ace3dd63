package dev.ferry.unpack;

import java.io.ByteArrayOutputStream;

/**
 * The {@code user.rootlesscontainers} xattr: the owner a file would have had, recorded where it
 * cannot be set. Its value is the protobuf message of rootless-containers/proto ({@code uint32 uid
 * = 1; uint32 gid = 2;}), with 4294967295 meaning "unchanged" and root (0) written as that, as
 * umoci writes it; a node owned by 0:0 gets no xattr.
 */
record RootlessOwner(long uid, long gid) {

    static final String XATTR = "user.rootlesscontainers";
    static final long NOOP = 0xffff_ffffL;

    /** The xattr value for a node owned by uid:gid; null for root:root. */
    static byte[] encode(long uid, long gid) {
        if (uid == 0 && gid == 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, 1, uid == 0 ? NOOP : uid);
        field(out, 2, gid == 0 ? NOOP : gid);
        return out.toByteArray();
    }

    /** Reads a value back (0 for an absent or "unchanged" field); null if it is not such a message. */
    static RootlessOwner decode(byte[] value) {
        long uid = 0;
        long gid = 0;
        int i = 0;
        while (i < value.length) {
            int key = value[i++] & 0xff;
            if ((key & 7) != 0) {
                return null;
            }
            long v = 0;
            int shift = 0;
            while (true) {
                if (i >= value.length || shift > 63) {
                    return null;
                }
                int b = value[i++] & 0xff;
                v |= (long) (b & 0x7f) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            long id = v == NOOP ? 0 : v & NOOP;
            switch (key >>> 3) {
                case 1 -> uid = id;
                case 2 -> gid = id;
                default -> {
                    // unknown fields are skipped, as protobuf readers do
                }
            }
        }
        return new RootlessOwner(uid, gid);
    }

    private static void field(ByteArrayOutputStream out, int number, long value) {
        out.write(number << 3);
        long v = value & NOOP;
        while (v >= 0x80) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }
}
