import * as vscode from 'vscode';
import type { RegisteredRule } from '../../core/rules/registry';
import { LESSONS_VIEW_ID } from '../../webviews/lessons/protocol';
import type { ExtensionServices } from '../services';
import { registerLessonCommands } from './lessonsCommands';
import { LessonsModel } from './lessonsModel';
import { LessonsViewProvider } from './lessonsView';

/**
 * The lessons knowledge base in the editor: the sidebar view, its commands, the watcher and diagnostics. Cheap:
 * nothing is read until the view is first shown or a lessons command runs. `rules` lets lessons that name a rule
 * count as related to the files that rule covers.
 */
export function registerLessons(services: ExtensionServices, rules?: RulesSource): void {
  const model = services.track(new LessonsModel(services, () => rules?.results() ?? []));
  const view = services.track(new LessonsViewProvider(services, model));
  services.track(vscode.window.registerWebviewViewProvider(LESSONS_VIEW_ID, view));
  registerLessonCommands(services, model, view);
  if (rules) services.track(rules.onDidChange(() => model.loaded && view.refresh()));
}

/** What lessons need from the rules feature (RulesDiagnostics): the rules as last loaded, and when they change. */
export interface RulesSource {
  results(): { root: string; rules: readonly RegisteredRule[] }[];
  onDidChange: vscode.Event<void>;
}
