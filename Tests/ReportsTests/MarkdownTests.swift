import Foundation
@testable import Reports
import Testing

@Suite struct MarkdownTests {
    @Test func everyCharacterThatActsInATableIsEscaped() {
        #expect(Markdown.text("a|b") == #"a\|b"#)
        #expect(Markdown.text("`code` *em* _em_ ~x~") == #"\`code\` \*em\* \_em\_ \~x\~"#)
        #expect(Markdown.text("<script>alert(1)</script>") == #"\<script\>alert(1)\</script\>"#)
        #expect(Markdown.text("[link](x)") == #"\[link\](x)"#)
        #expect(Markdown.text("&amp; \\") == #"\&amp; \\"#)
        #expect(Markdown.text("plain words, digits 42 and = + - (x) [Suite:k8s]") == #"plain words, digits 42 and = + - (x) \[Suite:k8s\]"#)
    }

    @Test func namesNeverBecomeAutolinks() {
        #expect(Markdown.text("see http://x.io/a and www.example.com, mail a@b.com") == #"see http\://x.io/a and www\.example.com, mail a\@b.com"#)
    }

    @Test func lineBreaksAndControlCharactersBecomeSpaces() {
        #expect(Markdown.text("one\ntwo\r\nthree") == "one two three")
        #expect(Markdown.text("a\tb\u{7}c") == "a b c")
        #expect(!Markdown.text("x\n\n\ny").contains("\n"))
        // C1 controls and bidirectional overrides cannot reorder or hide a name.
        #expect(Markdown.text("abc\u{202E}fed\u{2066}x\u{85}y") == "abc fed x y")
    }

    @Test func linksOnlyToWebOrRelativeTargets() {
        #expect(Markdown.link("bug", to: "https://issues.example.com/B-1") == "[bug](https://issues.example.com/B-1)")
        #expect(Markdown.link("a|b", to: "https://x/a b)") == #"[a\|b](https://x/a%20b%29)"#)
        #expect(Markdown.link("evil", to: "javascript:alert(1)") == "evil")
        #expect(Markdown.link("up", to: "../../etc/passwd") == "up")
        #expect(Markdown.link("file", to: "charts/x.svg") == "[file](charts/x.svg)")
    }
}
