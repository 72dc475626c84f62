package io.peersync.protocol;

/** What a {@link FileRecord} describes. */
public enum FileType {
    FILE(0), DIRECTORY(1), SYMLINK(2);

    private final int code;

    FileType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static FileType ofCode(int code) {
        for (FileType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("file type: " + code + " (expected: 0, 1 or 2)");
    }
}
