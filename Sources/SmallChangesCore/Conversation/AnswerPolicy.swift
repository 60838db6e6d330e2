import Foundation

/// Decides what happens to one answer, from how the matcher heard it and the question it answers: file it here,
/// file it elsewhere, ask where it goes, take the last answer back, pick a choice, or ask again.
///
/// The one home of these rules; `Conversation` carries the decision out. Pure: the same answer, routing and
/// question always give the same decision, so replaying a session's log rebuilds the same plan.
struct AnswerPolicy {
    /// What to do with an answer.
    enum Decision: Equatable {
        /// Store it under the current question, heard as this routing.
        case fileHere(Routing)
        /// Store each item of a list answer.
        case fileItems([Routing.Item])
        /// Store it where it belongs, said out of turn, and ask the current question again.
        case fileElsewhere(PlanField, theme: Theme?)
        /// Not sure where it belongs: ask, with the two places as choices.
        case askWhere(PlanField, theme: Theme?)
        /// Pick the choice at this index.
        case pick(Int)
        /// The last answer was misheard: take it back.
        case takeBack(Correction)
        /// "No" right after a list answer was split: store it again as one item.
        case joinLast
        /// A control answer: unsure, help, back, skip, done, show_plan, quit. Nothing is stored.
        case control(Intent)
        /// Nothing is stored; the question is asked again, saying why.
        case askAgain(Reason)
    }

    enum Reason: Equatable {
        /// Unrelated to the session, or keys pressed at random.
        case outOfScope
        /// A bare yes or no, or a bare "no" to a question that takes one answer.
        case sayMore
        /// A choice that matches none of the options.
        case unclearChoice
        /// A correction with nothing to take back.
        case nothingToTakeBack
    }

    let step: Step
    /// The options of a choice question, as offered.
    let choices: [String]
    /// The fields this flow asks about: an answer is filed out of turn into one of them or, outside a review, into
    /// a plan field that is not a review's (a reflection can name someone who helps, but never records a decision;
    /// a review keeps to its own questions).
    let askedFields: Set<PlanField>
    /// Whether there is an answer to take back (there is none when the last one was asked again, not kept).
    let canTakeBack: Bool
    /// Whether the last answer was split into several items.
    let lastWasSplit: Bool
    /// Answers given so far to the current list question.
    let answeredHere: Int
    /// The day the answer was given, for reading dates.
    let today: CalendarDay

    /// Out-of-turn answers are filed elsewhere without asking only above this calibrated confidence.
    static let fileElsewhereAbove = 0.9
    /// A long answer weakly heard as a command is taken as an answer below this confidence.
    static let commandDoubt = 0.6

    /// - Parameter correction: what `Correction.read(text)` makes of the answer, read once by the caller.
    func decide(_ text: String, routing: Routing, correction: Correction?) -> Decision {
        if let correction {
            if lastWasSplit, correction.belongs == nil, correction.rest == nil { return .joinLast }
            return canTakeBack ? .takeBack(correction) : .askAgain(.nothingToTakeBack)
        }
        if lastWasSplit, Self.isBareNo(text) { return .joinLast }
        if step.collect == .choice, !choices.isEmpty {
            // "the call back one" picks an option, whatever the words sound like on their own.
            if let index = ChoiceReading.pick(text, from: choices, field: step.field) { return .pick(index) }
            // A short answer that names no option is asked again; a description of a new change is taken.
            if !routing.intent.isNavigation,
                !routing.intent.isPlanContent || text.split(separator: " ").count < 4 || step.field == .decision
            {
                if routing.intent != .unsure && routing.intent != .help && routing.intent != .showPlan {
                    return .askAgain(.unclearChoice)
                }
            }
        }
        if Self.isGibberish(text) { return .askAgain(.outOfScope) }
        var routing = routing
        // An answer holding a date is an answer ("next supervision, 14th jan i think"), never a skip.
        if routing.intent == .skip, let expects = step.expects, DateReading.find(in: text, today: today)?.day != nil {
            routing.intent = expects
        }
        if let content = longAnswerHeardAsControl(text, routing: routing) {
            return .fileHere(content)
        }
        switch routing.intent {
        case .unsure, .help, .back, .showPlan, .quit:
            return .control(routing.intent)
        case .skip:
            return .control(.skip)
        case .done:
            if step.collect != .list, Self.isBareNo(text) { return .askAgain(.sayMore) }
            return .control(.done)
        case .oos, .yes, .no:
            // An open question (where you work, a word to your partner) takes whatever is said.
            if step.expects == nil { return .fileHere(routing) }
            if routing.intent == .no, step.collect == .list, answeredHere > 0 { return .control(.done) }
            return .askAgain(routing.intent == .oos ? .outOfScope : .sayMore)
        default:
            break
        }
        // Clauses joined by "and" are kept apart only as answers to the question; a digression said out of turn
        // ("the thing is the phone has no signal and the app needs wifi") is one thing.
        if routing.items.count > 1, fits(routing.intent) || AnswerSplitter.pieces(text).kind == .laidOut {
            return .fileItems(routing.items)
        }
        if routing.items.count > 1 { routing.items = [] }
        if fits(routing.intent) { return .fileHere(routing) }
        let reviewing = askedFields.contains(where: \.isReview)
        guard let field = PlanField(intent: routing.intent),
            askedFields.contains(field) || !(field.isReview || reviewing)
        else {
            // Heard as something this flow does not ask about (a decision in a reflection): it answers the question.
            var here = routing
            here.intent = step.expects ?? routing.intent
            return .fileHere(here)
        }
        let theme = routing.intent.hasTheme ? routing.theme : nil
        let expectedChance = routing.alternatives.first { $0.intent == step.expects }?.confidence ?? 0
        if routing.confidence >= Self.fileElsewhereAbove, expectedChance < 0.15 {
            return .fileElsewhere(field, theme: theme)
        }
        return .askWhere(field, theme: theme)
    }

    /// Whether an answer heard as `intent` belongs in the current question's field.
    func fits(_ intent: Intent) -> Bool {
        guard intent.isPlanContent else { return false }
        guard let expected = step.expects else { return true }
        if intent == expected { return true }
        let lenient: Set<Intent> =
            switch step.field {
            case .context, .responses: Set(Intent.allCases.filter(\.isPlanContent))
            case .waysAround, .change, .nextCycle: [.idea, .step, .support, .sustain, .aim]
            case .happened: [.learning, .prediction, .decision, .barrier, .measure]
            case .partner, .checkIns: [.support, .step]
            case .learning: [.learning, .prediction, .decision]
            default: []
            }
        return lenient.contains(intent)
    }

    /// A long answer only weakly heard as a command ("well done, and ask her to join" is not "done") is an
    /// answer when the question's own kind is among the alternatives, or the question is open. A question back
    /// ("what do people usually predict?") is never taken as an answer.
    func longAnswerHeardAsControl(_ text: String, routing: Routing) -> Routing? {
        let doubt = step.expects == nil ? 0.9 : Self.commandDoubt
        guard !routing.intent.isPlanContent, routing.intent != .oos, routing.confidence < doubt,
            text.split(separator: " ").count >= 6, !Self.isQuestion(text)
        else { return nil }
        if step.expects == nil { return routing }
        guard let fitting = routing.alternatives.first(where: { fits($0.intent) }) else { return nil }
        var content = routing
        content.intent = fitting.intent
        content.confidence = fitting.confidence
        return content
    }

    static func isQuestion(_ text: String) -> Bool {
        if text.contains("?") { return true }
        let first = text.lowercased().split(separator: " ").first.map(String.init) ?? ""
        return ["what", "how", "why", "where", "which", "can", "could", "should", "do", "does", "is", "are", "any"]
            .contains(first)
    }

    static func isBareNo(_ text: String) -> Bool {
        let normal = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        return ["no", "nope", "nah", "no thanks", "no thank you", "nop", "naa", "nah thanks", "no no"].contains(normal)
    }

    /// Keys pressed at random ("asdf jkl", "qwerty", "hhhhh"): every word is a run along a keyboard row, has no
    /// vowel, or repeats one letter.
    static func isGibberish(_ text: String) -> Bool {
        let words = text.lowercased().split { !$0.isWordLetter }
        guard !words.isEmpty, words.count <= 6 else { return false }
        return words.allSatisfy { word in
            let letters = String(word)
            if letters.count >= 3, keyboardRows.contains(where: { $0.contains(letters) }) { return true }
            if letters.count >= 4, !letters.contains(where: { "aeiouy".contains($0) }) { return true }
            if letters.count >= 4, Set(letters).count == 1 { return true }
            return false
        }
    }

    static let keyboardRows = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "poiuytrewq", "lkjhgfdsa", "mnbvcxz"]
}

extension Intent {
    /// Intents that move around the conversation rather than answer a choice.
    var isNavigation: Bool {
        [.back, .skip, .help, .quit, .showPlan, .unsure, .done].contains(self)
    }
}
