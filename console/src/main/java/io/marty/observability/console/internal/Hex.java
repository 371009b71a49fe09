package io.marty.observability.console.internal;

import com.google.protobuf.ByteString;

/** Lower-case hex encoding of trace and span ids. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    public static String encode(ByteString bytes) {
        char[] out = new char[bytes.size() * 2];
        for (int i = 0; i < bytes.size(); i++) {
            int b = bytes.byteAt(i) & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0xf];
        }
        return new String(out);
    }

    /** Decodes hex, naming {@code what} in the error when the input is not even-length hex. */
    public static byte[] decode(String hex, String what) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException(what + ": hex id has odd length " + hex.length());
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException(what + ": not a hex id: '" + abbreviate(hex) + "'");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
