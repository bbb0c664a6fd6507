// An extension for the news editor in the admin (django-prose-editor, Tiptap). Tiptap adds its
// base CSS as an inline <style> element, which the site's Content-Security-Policy refuses
// (style-src 'self'); the same rules come from css/news-editor.css instead.
import { Extension } from "django-prose-editor/editor"

export const NoInlineStyle = Extension.create({
  name: "noInlineStyle",
  onBeforeCreate() {
    this.editor.options.injectCSS = false
  },
})
