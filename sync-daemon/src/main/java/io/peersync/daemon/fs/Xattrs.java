package io.peersync.daemon.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's extended attributes, all namespaces (user, trusted, security and the POSIX ACLs stored as
 * {@code system.posix_acl_access} and {@code system.posix_acl_default}), read and written through an open
 * descriptor with Linux's {@code flistxattr}, {@code fgetxattr} and {@code fsetxattr} (JNA), so no path is resolved
 * again: Java's own attribute view reaches the user namespace only. The descriptor must not be {@code O_PATH}
 * (those have no extended attributes); {@link DirectoryFd}'s are open for reading.
 */
final class Xattrs {
    private static final int ENODATA = 61;
    private static final int ERANGE = 34;
    private static final LibC LIBC = LinuxLibC.load(LibC.class,
            "Extended attributes and ACLs are not copied into staged directories");

    interface LibC extends Library {
        long flistxattr(int fd, byte[] list, long size) throws LastErrorException;

        long fgetxattr(int fd, String name, byte[] value, long size) throws LastErrorException;

        int fsetxattr(int fd, String name, byte[] value, long size, int flags) throws LastErrorException;
    }

    private Xattrs() {
    }

    static boolean available() {
        return LIBC != null;
    }

    /**
     * Gives the file open as {@code to} every extended attribute the one open as {@code from} has, as it is; throws on
     * the first that fails. {@code fromName} and {@code toName} name them in messages.
     */
    static void copy(int from, String fromName, int to, String toName) throws IOException {
        if (LIBC == null) {
            return;
        }
        for (String name : names(from, fromName)) {
            byte[] value = get(from, fromName, name);
            if (value == null) {
                continue; // removed meanwhile
            }
            try {
                LIBC.fsetxattr(to, name, value, value.length, 0);
            } catch (LastErrorException e) {
                throw LinuxLibC.failure(toName, null, "setting " + name + ": ", e);
            }
        }
    }

    /** The names of the extended attributes of the file open as {@code fd} ({@code shown} in messages). */
    static List<String> names(int fd, String shown) throws IOException {
        if (LIBC == null) {
            return List.of();
        }
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                long size = LIBC.flistxattr(fd, null, 0);
                if (size == 0) {
                    return List.of();
                }
                byte[] list = new byte[(int) size];
                try {
                    long got = LIBC.flistxattr(fd, list, list.length);
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
            throw new IOException(shown + ": its extended attributes kept changing while being listed");
        } catch (LastErrorException e) {
            throw LinuxLibC.failure(shown, null, "listing extended attributes: ", e);
        }
    }

    /** One attribute's value, or null when the file has none of that name. */
    static byte[] get(int fd, String shown, String name) throws IOException {
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                long size = LIBC.fgetxattr(fd, name, null, 0);
                byte[] value = new byte[(int) size];
                try {
                    long got = LIBC.fgetxattr(fd, name, value, value.length);
                    return got == value.length ? value : java.util.Arrays.copyOf(value, (int) got);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != ERANGE) {
                        throw e;
                    }
                }
            }
            throw new IOException(shown + ": extended attribute " + name + " kept changing while being read");
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENODATA) {
                return null;
            }
            throw LinuxLibC.failure(shown, null, "reading " + name + ": ", e);
        }
    }
}
