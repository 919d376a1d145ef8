// The playground (playground.html): every field is one of the widget's options. The settings
// are kept in sessionStorage for the tab, given to the widget before its script runs
// (`window.orcheoChatConfig`), applied live with `OrcheoChat.setOptions` when a field changes
// (a cleared field or a new mode reloads the page: the widget's default, or its new place,
// comes with a fresh start), and written out as the one tag that embeds the widget with them.
(function () {
  'use strict';
  var STORAGE_KEY = 'orcheo-chat-playground';
  var WIDGET_URL = document.currentScript.getAttribute('data-widget');
  // The inline widget's box, here and on the page the tag is pasted into.
  var TARGET = '#chat';
  var DEFAULTS = {
    backend: '', workflow: '', title: '', theme: 'auto', accent: '#4f46e5', radius: 'round',
    position: 'right', mode: 'bubble', font: '', locale: '', greeting: '', placeholder: '',
    disclaimer: '', preload: 'idle', persist: 'session', open: false, history: true, attachments: false,
  };

  function load() {
    try {
      return Object.assign({}, DEFAULTS, JSON.parse(sessionStorage.getItem(STORAGE_KEY) || '{}'));
    } catch (error) {
      return Object.assign({}, DEFAULTS);
    }
  }

  function save(settings) {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
    } catch (error) {
      // Storage can be off; the playground still works for this page view.
    }
  }

  // The widget's options for `settings`: an empty text is the widget's default.
  function options(settings) {
    var chosen = {};
    Object.keys(DEFAULTS).forEach(function (key) {
      if (settings[key] !== '') chosen[key] = settings[key];
    });
    if (settings.mode === 'inline') chosen.target = TARGET;
    return chosen;
  }

  var escapeAttribute = function (value) {
    return String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  };
  var kebab = function (key) {
    return key.replace(/[A-Z]/g, function (c) { return '-' + c.toLowerCase(); });
  };

  // The one tag: only what differs from the widget's defaults.
  function tag(settings) {
    var lines = [];
    Object.keys(DEFAULTS).forEach(function (key) {
      if (settings[key] !== DEFAULTS[key]) lines.push('data-' + kebab(key) + '="' + escapeAttribute(settings[key]) + '"');
    });
    if (settings.mode === 'inline') lines.push('data-target="' + TARGET + '"');
    var script = '<script src="' + WIDGET_URL + '" async' + lines.map(function (line) { return '\n        ' + line; }).join('') + '></script>';
    return settings.mode === 'inline' ? '<div id="chat" style="height: 600px"></div>\n' + script : script;
  }

  var settings = load();
  // Before the widget's script runs: it starts with what this tab chose last.
  window.orcheoChatConfig = options(settings);

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('settings');
    var output = document.getElementById('tag');
    var box = document.querySelector(TARGET);

    function show() {
      Object.keys(DEFAULTS).forEach(function (key) {
        var field = form.elements[key];
        if (field.type === 'checkbox') field.checked = settings[key];
        else field.value = settings[key];
      });
      box.hidden = settings.mode !== 'inline';
      output.textContent = tag(settings);
    }

    function change(key, value) {
      var cleared = value === '' && settings[key] !== '';
      settings[key] = value;
      save(settings);
      // A cleared field means the widget's default, and a new mode a new place on the page:
      // both come with a fresh start (the conversation survives: the widget keeps it for the tab).
      if (cleared || key === 'mode') {
        location.reload();
        return;
      }
      var update = {};
      update[key] = value;
      output.textContent = tag(settings);
      window.OrcheoChat.setOptions(update);
    }

    form.addEventListener('change', function (event) {
      var field = event.target;
      if (!field.name || !(field.name in DEFAULTS)) return;
      change(field.name, field.type === 'checkbox' ? field.checked : field.value.trim());
    });
    // Enter in a field applies it; the form never submits.
    form.addEventListener('submit', function (event) { event.preventDefault(); });

    document.getElementById('use-local').addEventListener('click', function () {
      var hint = document.getElementById('local-hint');
      form.elements.backend.value = hint.getAttribute('data-backend');
      form.elements.workflow.value = hint.getAttribute('data-share');
      settings.backend = form.elements.backend.value;
      settings.workflow = form.elements.workflow.value;
      save(settings);
      output.textContent = tag(settings);
      window.OrcheoChat.setOptions({ backend: settings.backend, workflow: settings.workflow });
    });

    document.getElementById('reset').addEventListener('click', function () {
      try {
        sessionStorage.removeItem(STORAGE_KEY);
      } catch (error) {
        // nothing kept
      }
      location.reload();
    });

    document.getElementById('copy').addEventListener('click', function () {
      var status = document.getElementById('copied');
      navigator.clipboard.writeText(output.textContent).then(function () {
        status.textContent = 'Copied.';
      }, function () {
        // No clipboard (an insecure origin, a refusal): select it for Ctrl+C instead.
        getSelection().selectAllChildren(output);
        status.textContent = 'Selected: press Ctrl+C to copy.';
      });
    });

    show();
  });
})();
