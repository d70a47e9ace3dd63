package dev.ferry.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class GoTemplateTest {

    static final JsonNode DATA = Json.MAPPER.readTree("""
            {"Name": "reg.example/app", "Digest": "sha256:0123456789abcdef", "Size": 42, "Empty": [],
             "Tags": ["1.0", "latest"], "Labels": {"b": "two", "a": "one", "org.example.team": "core"},
             "Layers": [{"Digest": "sha256:aa", "Size": 3}, {"Digest": "sha256:bb", "Size": 5}],
             "Nothing": null, "Yes": true}
            """);

    static String render(String template) throws TemplateException {
        return GoTemplate.parse(template).render(DATA);
    }

    @Test
    void textWithoutActionsIsPrintedAsItIs() throws Exception {
        assertEquals("plain {text}\n", render("plain {text}\n"));
    }

    @Test
    void fieldsAndNestedFieldsPrintTheirValues() throws Exception {
        assertEquals("reg.example/app 42 two true", render("{{.Name}} {{.Size}} {{.Labels.b}} {{.Yes}}"));
    }

    @Test
    void listsAndMapsPrintAsGoPrintsThemWithMapKeysSorted() throws Exception {
        assertEquals("[1.0 latest] map[a:one b:two org.example.team:core] []", render("{{.Tags}} {{.Labels}} {{.Empty}}"));
        assertEquals("[map[Digest:sha256:aa Size:3] map[Digest:sha256:bb Size:5]]", render("{{.Layers}}"));
    }

    @Test
    void aFieldTheTopLevelLacksIsAnErrorThatNamesTheFieldsThereAre() {
        TemplateException e = assertThrows(TemplateException.class, () -> render("{{.Nope}}"));
        assertTrue(e.getMessage().contains("no field Nope") && e.getMessage().contains("Digest"), e.getMessage());
    }

    @Test
    void aMissingKeyDeeperDownPrintsNoValueAsAMissingMapKeyDoes() throws Exception {
        assertEquals("<no value> <no value>", render("{{.Labels.zzz}} {{.Nothing.x}}"));
    }

    @Test
    void indexReadsKeysWithDotsListPositionsAndGivesEmptyForAMissingKey() throws Exception {
        assertEquals("core|latest|sha256:bb||", render("{{index .Labels \"org.example.team\"}}|{{index .Tags 1}}|"
                + "{{index .Layers 1 \"Digest\"}}|{{index .Labels \"zzz\"}}|{{index .Nothing \"x\"}}"));
    }

    @Test
    void indexPastTheEndOfAListIsAnError() {
        assertThrows(TemplateException.class, () -> render("{{index .Tags 2}}"));
    }

    @Test
    void rangeVisitsListItemsAndMapValuesInKeyOrderAndElseWhenEmpty() throws Exception {
        assertEquals("1.0,latest,", render("{{range .Tags}}{{.}},{{end}}"));
        assertEquals("one two core ", render("{{range .Labels}}{{.}} {{end}}"));
        assertEquals("sha256:aa=3 sha256:bb=5 ", render("{{range .Layers}}{{.Digest}}={{.Size}} {{end}}"));
        assertEquals("none", render("{{range .Empty}}x{{else}}none{{end}}"));
        assertEquals("none", render("{{range .Nothing}}x{{else}}none{{end}}"));
    }

    @Test
    void dollarNamesTheWholeDataInsideARange() throws Exception {
        assertEquals("reg.example/app:1.0 reg.example/app:latest ", render("{{range .Tags}}{{$.Name}}:{{.}} {{end}}"));
    }

    @Test
    void ifAndWithChooseByGosTruth() throws Exception {
        assertEquals("yes no no no two", render("{{if .Tags}}yes{{else}}no{{end}} {{if .Empty}}yes{{else}}no{{end}} "
                + "{{if .Nothing}}yes{{else}}no{{end}} {{if .Labels.zzz}}yes{{else}}no{{end}} {{with .Labels}}{{.b}}{{end}}"));
        assertEquals("-", render("{{with .Empty}}{{.}}{{else}}-{{end}}"));
    }

    @Test
    void comparisonsAndLogicWork() throws Exception {
        assertEquals("true false true true 42 no 1.0", render("{{eq .Size 42}} {{ne .Name \"reg.example/app\"}} "
                + "{{eq .Labels.a \"x\" \"one\"}} {{not .Empty}} {{and .Yes .Size}} "
                + "{{if and .Yes .Nothing}}yes{{else}}no{{end}} {{or .Nothing (index .Tags 0)}}"));
    }

    @Test
    void pipelinesPassTheirValueAsTheLastArgument() throws Exception {
        assertEquals("2 2 sha256:0123 \"reg.example/app\"", render("{{.Tags | len}} {{len (index .Layers)}} "
                + "{{.Digest | printf \"%.11s\"}} {{.Name | printf \"%q\"}}"));
    }

    @Test
    void printfFormatsAsGoDoes() throws Exception {
        assertEquals("[  abc][abc  ][00042][2a][%][ab]", render("{{printf \"[%5s][%-5s][%05d][%x][%%][%.2s]\" \"abc\" \"abc\" .Size .Size \"abc\"}}"));
        assertEquals("x %!d(MISSING)", render("{{printf \"x %d\"}}"));
        assertEquals("%!d(string=abc)", render("{{printf \"%d\" \"abc\"}}"));
    }

    @Test
    void jsonJoinLowerAndUpperWork() throws Exception {
        assertEquals("[\"1.0\",\"latest\"] {\"Digest\":\"sha256:aa\",\"Size\":3} 1.0, latest REG.EXAMPLE/APP sha256:aa",
                render("{{json .Tags}} {{json (index .Layers 0)}} {{join .Tags \", \"}} {{upper .Name}} "
                        + "{{lower (index .Layers 0 \"Digest\")}}"));
    }

    @Test
    void trimMarkersEatTheWhitespaceBesideThem() throws Exception {
        assertEquals("a:1.0,latest;", render("a:  {{- range .Tags -}}  \n  {{.}}{{if eq . \"1.0\"}},{{end}}\n  {{- end }};"));
    }

    @Test
    void commentsPrintNothing() throws Exception {
        assertEquals("ab", render("a{{/* a note */}}b"));
    }

    @Test
    void stringLiteralsKnowGosEscapesAndRawStrings() throws Exception {
        assertEquals("a\tb\n\"c\" \\d", render("{{\"a\\tb\\n\\\"c\\\"\"}} {{`\\d`}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{.Name", "{{range .Tags}}x", "{{if .Yes}}a{{else}}b", "{{end}}", "{{foo .Name}}",
        "{{define \"x\"}}{{end}}", "{{.Name .Size}}", "{{.Name | .Size}}", "{{}}", "{{\"open}}", "{{len (.Tags}}",
        "{{index .Tags 1}}{{else if .Yes}}"})
    void aTemplateOutsideTheSupportedPartIsRefusedWhenParsed(String template) {
        assertThrows(TemplateException.class, () -> GoTemplate.parse(template).render(DATA), template);
    }

    @Test
    void anUnknownFunctionIsNamedWithTheFunctionsThereAre() {
        TemplateException e = assertThrows(TemplateException.class, () -> GoTemplate.parse("{{table .Name}}"));
        assertTrue(e.getMessage().contains("\"table\" not defined") && e.getMessage().contains("printf"), e.getMessage());
    }

    @Test
    void rangeOverAStringIsAnError() {
        assertThrows(TemplateException.class, () -> render("{{range .Name}}x{{end}}"));
    }
}
