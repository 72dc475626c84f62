package io.peersync.protocol;

import com.google.common.io.BaseEncoding;
import java.util.regex.Pattern;

/** Public name of a shared folder, derived one-way from its secret; the same for every access level. */
public record FolderId(String value) implements Comparable<FolderId> {
    private static final Pattern FORM = Pattern.compile("[A-Z2-7]{26}");
    public static final int BYTES = 16;
    private static final BaseEncoding BASE32 = BaseEncoding.base32().omitPadding();

    public FolderId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("folder id: " + value + " (expected: 26 base32 characters)");
        }
        // The last character carries 3 bits and 2 unused ones; a non-zero unused bit would give one folder two ids.
        if (!BASE32.encode(BASE32.decode(value)).equals(value)) {
            throw new IllegalArgumentException("folder id: " + value + " (expected: canonical base32, unused trailing bits zero)");
        }
    }

    public static FolderId ofBytes(byte[] sixteen) {
        if (sixteen.length != BYTES) {
            throw new IllegalArgumentException("folder id bytes: " + sixteen.length + " (expected: " + BYTES + ")");
        }
        return new FolderId(BASE32.encode(sixteen));
    }

    public byte[] bytes() {
        return BASE32.decode(value);
    }

    public static boolean looksLike(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            return false;
        }
        return BASE32.encode(BASE32.decode(text)).equals(text);
    }

    @Override
    public int compareTo(FolderId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
