// accord search: looks the query up in the elasticlunr index of search-index.js (both loaded
// by script elements, so it works from file:// too) and lists the records as links. Every word
// of the query must begin a word of a record's name, aliases or text; names count most, and a
// name that is the query itself comes first. Arrow keys move between the box and the results.
// No requests.
(function () {
  'use strict';
  var list = document.querySelector('[data-search-results]');
  var form = document.querySelector('form.search-page');
  var status = document.getElementById('search-status');
  var data = window.accordSearch;
  var lunr = window.elasticlunr;
  if (!list || !form || !data || !lunr) return;
  var root = list.getAttribute('data-root') || '';
  var KINDS = { partnership: 'Partnership', organization: 'Organization', person: 'Person', topic: 'Topic', country: 'Country', source: 'Source' };
  var SECTIONS = { partnership: 'partnerships', organization: 'organizations', person: 'people', topic: 'topics', country: 'countries', source: 'sources' };
  var ORDER = { organization: 0, partnership: 1, person: 2, topic: 3, country: 4, source: 5 };
  var LIMIT = 100;
  // Every query word must be there; a word typed so far finds the words it begins.
  var CONFIG = { fields: { text: { bool: 'AND', expand: true } } };
  var SEP = /[^\p{Alphabetic}\p{N}]+/u;

  // Words as accord indexed them: accents off, lower case, split at anything that is
  // neither a letter nor a digit, so "universite" finds "Université".
  lunr.tokenizer.setSeperator(SEP);
  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  var index = lunr.Index.load(data.index);
  var docs = data.docs;
  var names = [];

  // Far above any elasticlunr score (tf-idf, a few units): a name that is the query, then one that holds it, then one
  // with a word that each query word begins.
  function nameBonus(i, q, qWords) {
    if (!names[i]) {
      var all = [docs[i].n].concat(docs[i].a || []).map(fold);
      names[i] = { all: all, words: all.join(' ').split(SEP) };
    }
    var best = 0;
    for (var n = 0; n < names[i].all.length; n++) {
      if (names[i].all[n] === q) return 1e6;
      if (names[i].all[n].indexOf(q) !== -1) best = 1e5;
    }
    if (best) return best;
    var every = qWords.every(function (w) {
      return names[i].words.some(function (nw) { return nw.indexOf(w) === 0; });
    });
    return every ? 1e4 : 0;
  }

  function field(name) {
    return form.elements[name];
  }

  function render() {
    var q = fold(field('q').value).trim().replace(/\s+/g, ' ');
    var kind = field('kind').value;
    // Documents name countries and topics by their place in the lists beside them.
    var country = field('country').value && data.countries.indexOf(field('country').value);
    var topic = field('topic').value && data.topics.indexOf(field('topic').value);
    var filtered = kind || country !== '' || topic !== '';
    list.textContent = '';
    if (!q && !filtered) {
      status.textContent = 'Type a name or a word to search partnerships, organizations, people, topics, countries and sources.';
      return;
    }
    var qWords = q.split(SEP).filter(Boolean);
    var found = q ? index.search(q, CONFIG).map(function (r) {
      var i = parseInt(r.ref, 36);
      return { i: i, score: r.score + nameBonus(i, q, qWords) };
    }) : docs.map(function (d, i) { return { i: i, score: 0 }; });
    var hits = [];
    for (var f = 0; f < found.length; f++) {
      var d = docs[found[f].i];
      if (kind && d.k !== kind) continue;
      if (country !== '' && (d.c || []).indexOf(country) === -1) continue;
      if (topic !== '' && (d.t || []).indexOf(topic) === -1) continue;
      hits.push({ doc: d, score: found[f].score });
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
      a.href = root + SECTIONS[doc.k] + '/' + doc.h + '/index.html';
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

  // Down and up arrows step from the box through the results and back; Enter follows a link.
  function onKey(e) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    var stops = [field('q')].concat(Array.prototype.slice.call(list.querySelectorAll('a')));
    var at = stops.indexOf(document.activeElement);
    if (at === -1) return;
    var next = at + (e.key === 'ArrowDown' ? 1 : -1);
    if (next < 0 || next >= stops.length) return;
    e.preventDefault();
    stops[next].focus();
  }

  // The query comes in the address (?q=…&kind=…), which works from file:// as well as served.
  var params = new URLSearchParams(window.location.search);
  ['q', 'kind', 'country', 'topic'].forEach(function (name) {
    var v = params.get(name);
    if (v !== null && field(name)) field(name).value = v;
  });
  form.addEventListener('input', render);
  form.addEventListener('change', render);
  form.addEventListener('keydown', onKey);
  list.addEventListener('keydown', onKey);
  render();
  var box = field('q');
  if (!box.value) box.focus();
})();
