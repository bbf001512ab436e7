// accord search: matches the query against the documents in search-index.js (loaded by a
// script element, so it works from file:// too) and lists the records as links. Every word of the
// query must begin a word of a record's name, aliases or text; names count most, and a name that
// is the query itself comes first. No requests, no libraries.
(function () {
  'use strict';
  var list = document.querySelector('[data-search-results]');
  var form = document.querySelector('form.search-page');
  var status = document.getElementById('search-status');
  var index = window.accordSearch;
  if (!list || !form || !index) return;
  var root = list.getAttribute('data-root') || '';
  var KINDS = { partnership: 'Partnership', organization: 'Organization', person: 'Person', topic: 'Topic', country: 'Country', source: 'Source' };
  var ORDER = { organization: 0, partnership: 1, person: 2, topic: 3, country: 4, source: 5 };
  var LIMIT = 100;

  // Lowercase, accents off, so "Universite" finds "Université".
  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }
  function words(s) {
    return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  var docs = index.docs.map(function (d) {
    var names = [d.n].concat(d.a || []);
    return {
      doc: d,
      names: names.map(fold),
      nameWords: words(names.join(' ')),
      textWords: words((d.d || '') + ' ' + (d.x || '')),
    };
  });

  function score(entry, q, qWords) {
    var total = 0;
    for (var i = 0; i < qWords.length; i++) {
      var w = qWords[i];
      var best = 0;
      for (var j = 0; j < entry.nameWords.length && best < 4; j++) {
        var nw = entry.nameWords[j];
        if (nw === w) best = 4;
        else if (nw.indexOf(w) === 0) best = Math.max(best, 3);
      }
      for (var k = 0; k < entry.textWords.length && best < 1; k++) {
        if (entry.textWords[k].indexOf(w) === 0) best = 1;
      }
      if (!best) return 0;
      total += best;
    }
    for (var n = 0; n < entry.names.length; n++) {
      if (entry.names[n] === q) total += 40;
      else if (entry.names[n].indexOf(q) !== -1) total += 20;
    }
    return total;
  }

  function field(name) {
    return form.elements[name];
  }

  function render() {
    var q = fold(field('q').value).trim().replace(/\s+/g, ' ');
    var qWords = words(q);
    var kind = field('kind').value;
    var country = field('country').value;
    var topic = field('topic').value;
    var filtered = kind || country || topic;
    list.textContent = '';
    if (!qWords.length && !filtered) {
      status.textContent = 'Type a name or a word to search partnerships, organizations, people, topics, countries and sources.';
      return;
    }
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i].doc;
      if (kind && d.k !== kind) continue;
      if (country && (d.c || []).indexOf(country) === -1) continue;
      if (topic && (d.t || []).indexOf(topic) === -1) continue;
      var s = qWords.length ? score(docs[i], q, qWords) : 1;
      if (s) hits.push({ doc: d, score: s });
    }
    hits.sort(function (a, b) {
      return b.score - a.score || ORDER[a.doc.k] - ORDER[b.doc.k] ||
        a.doc.n.length - b.doc.n.length || (a.doc.n < b.doc.n ? -1 : a.doc.n > b.doc.n ? 1 : 0);
    });
    var shown = hits.slice(0, LIMIT);
    for (var h = 0; h < shown.length; h++) {
      var doc = shown[h].doc;
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + doc.h;
      a.textContent = doc.n;
      var kindLabel = document.createElement('span');
      kindLabel.className = 'kind';
      kindLabel.textContent = KINDS[doc.k] || doc.k;
      li.appendChild(kindLabel);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(a);
      if (doc.d) {
        var meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = doc.d;
        li.appendChild(meta);
      }
      list.appendChild(li);
    }
    var n = hits.length;
    status.textContent = n === 0 ? 'No records match.' :
      (n === 1 ? '1 record matches' : n + ' records match') + (n > LIMIT ? '; the first ' + LIMIT + ' are shown.' : '.');
  }

  // The query comes in the address (?q=…&kind=…), which works from file:// as well as served.
  var params = new URLSearchParams(window.location.search);
  ['q', 'kind', 'country', 'topic'].forEach(function (name) {
    var v = params.get(name);
    if (v !== null && field(name)) field(name).value = v;
  });
  form.addEventListener('input', render);
  form.addEventListener('change', render);
  render();
  var box = field('q');
  if (!box.value) box.focus();
})();
