import * as vscode from 'vscode';
import { captureBody, draftFromSelection } from '../../core/lessons/capture';
import { LessonError, lessonPatchSchema, type Lesson, type NewLesson } from '../../core/lessons/lesson';
import type { LessonStore } from '../../core/lessons/store';
import { relativePath } from '../../core/lessons/viewModel';
import type { ExtensionServices } from '../services';
import type { LessonsModel } from './lessonsModel';
import type { LessonsViewProvider } from './lessonsView';

export const LESSON_COMMANDS = {
  new: 'llmgenie.lessons.new',
  capture: 'llmgenie.lessons.captureFromSelection',
  search: 'llmgenie.lessons.search',
  refresh: 'llmgenie.lessons.refresh',
  showRelated: 'llmgenie.lessons.showRelated',
} as const;

export function registerLessonCommands(services: ExtensionServices, model: LessonsModel, view: LessonsViewProvider): void {
  const register = (id: string, fn: (...args: unknown[]) => Promise<unknown>) => services.command(id, fn);

  // Other features (a router answer, a review finding) pass a draft: `{title?, body?, tags?, kind?, source?, rule?}`.
  register(LESSON_COMMANDS.new, async (arg?: unknown) => {
    const store = await requireStore(model);
    if (!store) return;
    const parsed = lessonPatchSchema.safeParse(arg ?? {});
    const draft = parsed.success ? parsed.data : {};
    const title = await vscode.window.showInputBox({
      title: 'New Lesson (1/2): title',
      prompt: 'What did you learn? One line; it becomes the file name too.',
      placeHolder: 'e.g. Keep money in integer cents',
      value: draft.title,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A lesson needs a title.'),
    });
    if (title === undefined) return;
    const tags = await askTags(store, 'New Lesson (2/2): tags', draft.tags ?? []);
    if (tags === undefined) return;
    const lesson = await save(model, store, { ...draft, title, tags });
    if (!lesson) return;
    await view.reveal({ query: lesson.title });
    await openForEditing(lesson);
  });

  register(LESSON_COMMANDS.capture, async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('llmgenie: Select the code or text the lesson is about, then run "llmgenie: Capture Lesson from Selection".');
      return;
    }
    const store = await requireStore(model);
    if (!store) return;
    const doc = editor.document;
    const start = editor.selection.start;
    // A selection starting inside the indentation keeps that indentation, so dedenting sees every line alike.
    const lead = doc.lineAt(start.line).text.slice(0, start.character);
    const text = (lead.trim() ? '' : lead) + doc.getText(editor.selection);
    const relPath = model.relative(doc.uri) ?? (doc.uri.scheme === 'file' ? doc.uri.fsPath.replace(/\\/g, '/') : doc.uri.path.split('/').pop() || 'untitled');
    const draft = draftFromSelection({ text, languageId: doc.languageId, relPath, line: start.line + 1, knownTags: store.tags().map((t) => t.tag) });

    const title = await vscode.window.showInputBox({
      title: 'Capture Lesson (1/3): title',
      prompt: `From ${draft.source}. Edit the title or press Enter.`,
      value: draft.title,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A lesson needs a title.'),
    });
    if (title === undefined) return;
    const tags = await askTags(store, 'Capture Lesson (2/3): tags', draft.tags);
    if (tags === undefined) return;
    const why = await vscode.window.showInputBox({
      title: 'Capture Lesson (3/3): why it matters',
      prompt: 'One sentence for whoever meets this code next. Optional: press Enter to write it later in the file.',
      placeHolder: 'e.g. Math.round rounds -0.5 towards +∞; the tax office rounds half away from zero',
      ignoreFocusOut: true,
    });
    if (why === undefined) return;
    const lesson = await save(model, store, { title, tags, source: draft.source, globs: draft.globs, body: captureBody(draft, why) });
    if (!lesson) return;
    await view.reveal({ query: lesson.title });
    const file = relativePath(store.root, lesson.path);
    void vscode.window.showInformationMessage(`Lesson saved to ${file}.`, 'Edit').then(async (pick) => {
      if (pick === 'Edit') await openForEditing(lesson);
    });
  });

  register(LESSON_COMMANDS.search, async (query?: unknown) => {
    if (typeof query === 'string') await view.reveal({ query, focus: true });
    else await view.focusSearch();
  });

  register(LESSON_COMMANDS.refresh, async () => {
    await model.reload();
  });

  register(LESSON_COMMANDS.showRelated, async () => {
    // Related lessons head the list when the search box is empty.
    await view.reveal({ query: '', tags: [] });
  });
}

async function requireStore(model: LessonsModel): Promise<LessonStore | undefined> {
  const store = await model.load();
  if (!store) void vscode.window.showInformationMessage('llmgenie: Open a folder first; lessons are markdown files in the workspace (docs/lessons/).');
  return store;
}

/** Comma-separated tags, pre-filled; the prompt names tags the team already uses. */
async function askTags(store: LessonStore, title: string, value: readonly string[]): Promise<string[] | undefined> {
  const used = store.tags().slice(0, 8).map((t) => t.tag);
  const answer = await vscode.window.showInputBox({
    title,
    prompt: used.length ? `Comma-separated. In use: ${used.join(', ')}` : 'Comma-separated, e.g. typescript, testing',
    value: value.join(', '),
    ignoreFocusOut: true,
  });
  return answer === undefined ? undefined : answer.split(',').map((t) => t.trim()).filter(Boolean);
}

async function save(model: LessonsModel, store: LessonStore, input: NewLesson): Promise<Lesson | undefined> {
  try {
    const lesson = await store.add(input);
    // The watcher will see the new file too; the view should not wait for it.
    model.publish();
    return lesson;
  } catch (e) {
    if (!LessonError.is(e)) throw e;
    void vscode.window.showErrorMessage(`llmgenie: The lesson was not saved: ${e.message}`);
    return undefined;
  }
}

async function openForEditing(lesson: Lesson): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(lesson.path));
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  await vscode.window.showTextDocument(doc, { preview: false, selection: new vscode.Range(end, end) });
}
