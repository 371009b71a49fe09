package io.marty.observability.benchmarks.mining;

import java.util.SplittableRandom;

/**
 * Synthetic HDFS DataNode/NameNode messages (the shapes of Loghub's HDFS set) with fresh random
 * block ids, addresses, sizes and paths in every line, so no two lines are equal as text.
 */
final class HdfsLikeLines {
    private HdfsLikeLines() {}

    static String[] generate(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = line(r);
        }
        return out;
    }

    private static String ip(SplittableRandom r) {
        return "10.25" + r.nextInt(10) + "." + r.nextInt(256) + "." + r.nextInt(256);
    }

    private static String blk(SplittableRandom r) {
        return "blk_" + (r.nextBoolean() ? "-" : "") + Math.abs(r.nextLong() % 10_000_000_000_000_000L);
    }

    private static String line(SplittableRandom r) {
        switch (r.nextInt(10)) {
            case 0:
                return "Receiving block " + blk(r) + " src: /" + ip(r) + ":" + r.nextInt(65536) + " dest: /" + ip(r)
                        + ":50010";
            case 1:
                return "PacketResponder " + r.nextInt(3) + " for block " + blk(r) + " terminating";
            case 2:
                return "Received block " + blk(r) + " of size " + r.nextInt(67_108_864) + " from /" + ip(r);
            case 3:
                return "BLOCK* NameSystem.addStoredBlock: blockMap updated: " + ip(r) + ":50010 is added to " + blk(r)
                        + " size " + r.nextInt(67_108_864);
            case 4:
                return "BLOCK* NameSystem.allocateBlock: /user/root/rand/_temporary/_task_200811092030_0001_m_"
                        + r.nextInt(1000) + "_0/part-" + r.nextInt(1000) + ". " + blk(r);
            case 5:
                return "Verification succeeded for " + blk(r);
            case 6:
                return "Deleting block " + blk(r) + " file /mnt/hadoop/dfs/data/current/subdir" + r.nextInt(64) + "/"
                        + blk(r);
            case 7:
                return ip(r) + ":50010 Served block " + blk(r) + " to /" + ip(r);
            case 8:
                return ip(r) + ":50010:Got exception while serving " + blk(r) + " to /" + ip(r) + ":";
            default:
                return "BLOCK* NameSystem.delete: " + blk(r) + " is added to invalidSet of " + ip(r) + ":50010";
        }
    }
}
