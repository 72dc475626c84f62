package io.peersync.daemon.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's extended attributes, all namespaces (user, trusted, security and the POSIX ACLs stored as
 * {@code system.posix_acl_access} and {@code system.posix_acl_default}), read and written without following
 * symlinks through Linux's {@code llistxattr}, {@code lgetxattr} and {@code lsetxattr} (JNA): Java's own
 * attribute view reaches the user namespace only.
 */
final class Xattrs {
    private static final int ENODATA = 61;
    private static final int ERANGE = 34;
    private static final LibC LIBC = LinuxLibC.load(LibC.class,
            "Extended attributes and ACLs are not copied into staged directories");

    interface LibC extends Library {
        long llistxattr(String path, byte[] list, long size) throws LastErrorException;

        long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;

        int lsetxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;
    }

    private Xattrs() {
    }

    static boolean available() {
        return LIBC != null;
    }

    /** Gives {@code to} every extended attribute {@code from} has, as it is; throws on the first that fails. */
    static void copy(Path from, Path to) throws IOException {
        if (LIBC == null) {
            return;
        }
        for (String name : names(from)) {
            byte[] value = get(from, name);
            if (value == null) {
                continue; // removed meanwhile
            }
            try {
                LIBC.lsetxattr(to.toString(), name, value, value.length, 0);
            } catch (LastErrorException e) {
                throw LinuxLibC.failure(to.toString(), null, "setting " + name + ": ", e);
            }
        }
    }

    /** The names of {@code file}'s extended attributes. */
    static List<String> names(Path file) throws IOException {
        if (LIBC == null) {
            return List.of();
        }
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                long size = LIBC.llistxattr(file.toString(), null, 0);
                if (size == 0) {
                    return List.of();
                }
                byte[] list = new byte[(int) size];
                try {
                    long got = LIBC.llistxattr(file.toString(), list, list.length);
                    List<String> names = new ArrayList<>();
                    int start = 0;
                    for (int i = 0; i < got; i++) {
                        if (list[i] == 0) {
                            names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                            start = i + 1;
                        }
                    }
                    return names;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != ERANGE) {
                        throw e;
                    }
                }
            }
            throw new IOException(file + ": its extended attributes kept changing while being listed");
        } catch (LastErrorException e) {
            throw LinuxLibC.failure(file.toString(), null, "listing extended attributes: ", e);
        }
    }

    /** One attribute's value, or null when it has none of that name. */
    static byte[] get(Path file, String name) throws IOException {
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                long size = LIBC.lgetxattr(file.toString(), name, null, 0);
                byte[] value = new byte[(int) size];
                try {
                    long got = LIBC.lgetxattr(file.toString(), name, value, value.length);
                    return got == value.length ? value : java.util.Arrays.copyOf(value, (int) got);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != ERANGE) {
                        throw e;
                    }
                }
            }
            throw new IOException(file + ": extended attribute " + name + " kept changing while being read");
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENODATA) {
                return null;
            }
            throw LinuxLibC.failure(file.toString(), null, "reading " + name + ": ", e);
        }
    }
}
