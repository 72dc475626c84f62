package io.peersync.protocol.secret;

/** What a folder secret lets a node do: change files, read them, or only store their ciphertext. */
public enum AccessLevel {
    READ_WRITE("read-write", 'W', 0),
    READ_ONLY("read-only", 'R', 1),
    ENCRYPTED("encrypted", 'E', 2);

    private final String jsonName;
    private final char prefix;
    private final int code;

    AccessLevel(String jsonName, char prefix, int code) {
        this.jsonName = jsonName;
        this.prefix = prefix;
        this.code = code;
    }

    /** The name used in JSON output and config: "read-write", "read-only" or "encrypted". */
    public String jsonName() {
        return jsonName;
    }

    /** The first character of a secret's text at this level. */
    public char prefix() {
        return prefix;
    }

    /** The number sent on the wire. */
    public int code() {
        return code;
    }

    /** True if this level grants everything {@code other} grants (READ_WRITE > READ_ONLY > ENCRYPTED). */
    public boolean atLeast(AccessLevel other) {
        return code <= other.code;
    }

    /** The level whose secrets start with {@code prefix}, ignoring case. */
    public static AccessLevel ofPrefix(char prefix) {
        char upper = Character.toUpperCase(prefix);
        for (AccessLevel level : values()) {
            if (level.prefix == upper) {
                return level;
            }
        }
        throw new IllegalArgumentException("access level prefix: '" + prefix + "' (expected: W, R or E)");
    }

    public static AccessLevel ofJsonName(String name) {
        for (AccessLevel level : values()) {
            if (level.jsonName.equals(name)) {
                return level;
            }
        }
        throw new IllegalArgumentException("access level: " + name + " (expected: read-write, read-only or encrypted)");
    }

    public static AccessLevel ofCode(int code) {
        for (AccessLevel level : values()) {
            if (level.code == code) {
                return level;
            }
        }
        throw new IllegalArgumentException("access level code: " + code + " (expected: 0, 1 or 2)");
    }
}
