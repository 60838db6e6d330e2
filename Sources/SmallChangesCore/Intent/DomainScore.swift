/// How well a matcher routes a labelled test set: intent accuracy over all cases, theme accuracy over the barriers
/// and ideas that name a theme.
public struct DomainScore: Sendable, Hashable {
    public var cases: Int
    public var intentCorrect: Int
    public var themeCases: Int
    public var themeCorrect: Int
    /// Cases routed wrongly: the case and what the matcher said.
    public var misses: [Miss]

    /// One wrongly routed case.
    public struct Miss: Sendable, Hashable {
        public var routingCase: RoutingCase
        public var intent: Intent
        public var theme: Theme?
    }

    public var intentAccuracy: Double { cases == 0 ? 0 : Double(intentCorrect) / Double(cases) }
    public var themeAccuracy: Double { themeCases == 0 ? 0 : Double(themeCorrect) / Double(themeCases) }
    /// How many of the theme cases the matcher names a block for (it names one only when confident).
    public var themeNamed = 0
    /// How many of those named blocks are right.
    public var themeNamedCorrect = 0

    /// Routes every case with its expected intent as context and counts the hits.
    ///
    /// Theme accuracy is judged on the theme classifier alone for every barrier and idea case with a theme, so a
    /// wrong intent does not also count as a wrong theme.
    public init(matcher: IntentMatcher, cases: [RoutingCase]) {
        self.cases = cases.count
        intentCorrect = 0
        themeCases = 0
        themeCorrect = 0
        misses = []
        for routingCase in cases {
            let routing = matcher.route(routingCase.text, expecting: routingCase.expect)
            var missed = routing.intent != routingCase.intent
            if !missed { intentCorrect += 1 }
            var theme: Theme?
            if routingCase.intent.hasTheme, let expected = routingCase.theme {
                themeCases += 1
                theme = matcher.theme(of: routingCase.text)
                if theme == expected { themeCorrect += 1 } else { missed = true }
                if let named = matcher.namedTheme(of: routingCase.text) {
                    themeNamed += 1
                    if named == expected { themeNamedCorrect += 1 }
                }
            }
            if missed { misses.append(Miss(routingCase: routingCase, intent: routing.intent, theme: theme)) }
        }
    }
}
