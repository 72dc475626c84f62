package io.peersync.protocol;

import com.google.common.io.BaseEncoding;
import java.util.regex.Pattern;

/** Public name of a shared folder, derived one-way from its secret; the same for every access level. */
public record FolderId(String value) implements Comparable<FolderId> {
    private static final Pattern FORM = Pattern.compile("[A-Z2-7]{26}");
    public static final int BYTES = 16;

    public FolderId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("folder id: " + value + " (expected: 26 base32 characters)");
        }
    }

    public static FolderId ofBytes(byte[] sixteen) {
        if (sixteen.length != BYTES) {
            throw new IllegalArgumentException("folder id bytes: " + sixteen.length + " (expected: " + BYTES + ")");
        }
        return new FolderId(BaseEncoding.base32().omitPadding().encode(sixteen));
    }

    public byte[] bytes() {
        return BaseEncoding.base32().omitPadding().decode(value);
    }

    public static boolean looksLike(String text) {
        return text != null && FORM.matcher(text).matches();
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
