package io.marty.observability.loganalysis.mining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void splitsHeaderFromContent() {
        LogFormat f = LogFormat.parse("<Date> <Time> <Pid> <Level> <Component>: <Content>");
        String line =
                "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38 terminating";
        assertThat(f.content(line)).contains("PacketResponder 1 for block blk_38 terminating");
        assertThat(f.fields(line).orElseThrow())
                .containsEntry("Date", "081109")
                .containsEntry("Component", "dfs.DataNode$PacketResponder")
                .containsKeys("Date", "Time", "Pid", "Level", "Component", "Content");
        assertThat(f.fieldNames()).containsExactly("Date", "Time", "Pid", "Level", "Component", "Content");
    }

    @Test
    void literalTextIsMatchedLiterallyAndSpacesFlexibly() {
        LogFormat f = LogFormat.parse("[<Time>] [<Level>] <Content>");
        assertThat(f.content("[Sun Dec 04 04:47:44 2005]   [notice] workerEnv.init() ok"))
                .contains("workerEnv.init() ok");
        assertThat(f.content("no brackets here")).isEmpty();
        assertThat(f.fields("no brackets here")).isEmpty();
        assertThat(f.fields("[t] [l] c")).contains(Map.of("Time", "t", "Level", "l", "Content", "c"));
    }

    @Test
    void acceptsDrainsEscapedFormatsAndFailsFastOnLinesThatDoNotFit() {
        LogFormat f = LogFormat.parse("<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>");
        assertThat(f.fields("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186"))
                .hasValueSatisfying(m -> assertThat(m)
                        .containsEntry("Pid", "24200")
                        .containsEntry("Content", "Invalid user webmaster from 173.234.31.186"));
        LogFormat proxifier = LogFormat.parse("\\[<Time>\\] <Program> - <Content>");
        assertThat(proxifier.fields("[10.30 16:49:06] Google Chrome.exe *64 - host.example:80 open"))
                .as("a field may hold spaces, as in Drain")
                .hasValueSatisfying(m -> assertThat(m)
                        .containsEntry("Program", "Google Chrome.exe *64")
                        .containsEntry("Content", "host.example:80 open"));
        String noise = "x ".repeat(5_000) + "no brackets";
        for (int i = 0; i < 20; i++) {
            assertThat(f.content(noise)).isEmpty(); // would take minutes with backtracking .*? fields
        }
    }

    @Test
    void rejectsFormatsWithoutContentOrWithDuplicates() {
        assertThatThrownBy(() -> LogFormat.parse("<Date> <Time>")).hasMessageContaining("<Content>");
        assertThatThrownBy(() -> LogFormat.parse("<A> <A> <Content>")).hasMessageContaining("<A> twice");
        assertThatThrownBy(() -> LogFormat.parse(" ")).hasMessageContaining("empty");
    }
}
