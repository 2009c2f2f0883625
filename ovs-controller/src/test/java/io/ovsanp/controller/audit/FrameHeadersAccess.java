package io.ovsanp.controller.audit;

/** For tests of other packages: a frame of {@link Frames}. */
public final class FrameHeadersAccess {
    private FrameHeadersAccess() {}

    /** UDP from 10.244.0.1:40000 to 203.0.113.5:53. */
    public static byte[] udpFrame() {
        return Frames.ipv4(Frames.ip(10, 244, 0, 1), Frames.ip(203, 0, 113, 5), 17, 40000, 53);
    }
}
