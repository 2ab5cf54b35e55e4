import Foundation

/// What a resume needs to finish or undo a compose run: the project as Compose was called, the file
/// that was edited (its original is `FILE.unity-bak`) and the old image's reference, whose tag a
/// rollback points back at the old image.
public struct ComposeRunFacts: Sendable, Codable, Equatable {
    public var tool: String
    public var project: String
    public var service: String
    public var workingDirectory: String
    public var configFiles: [String]
    public var file: String
    public var fileEdited: Bool
    public var previousImage: String
    public var oldImageReference: String?

    init(_ plan: ComposeServiceUpdater.Plan, oldImageReference: String?) {
        tool = plan.invocation.tool.rawValue
        project = plan.invocation.service.project
        service = plan.invocation.service.service
        workingDirectory = plan.invocation.service.workingDirectory
        configFiles = plan.invocation.service.configFiles
        file = plan.file
        fileEdited = plan.editedText != nil
        previousImage = plan.previousImage
        self.oldImageReference = oldImageReference
    }
}

extension ComposeServiceUpdater {
    /// The plan of an interrupted run, rebuilt from its facts (the edited text itself is not needed
    /// any more: only whether there is an original to put back).
    func plan(resuming facts: ComposeRunFacts) -> Plan {
        let service = ComposeService(project: facts.project, service: facts.service, workingDirectory: facts.workingDirectory,
                                     configFiles: facts.configFiles)
        return Plan(invocation: ComposeInvocation(tool: ComposeTool(rawValue: facts.tool) ?? .dockerComposeV2, service: service,
                                                  engineSocket: engineSocket),
                    file: facts.file, editedText: facts.fileEdited ? "" : nil, previousImage: facts.previousImage)
    }
}
