# Copying from the question: quiz answers that restate its two numbers
# Render from this directory: gnuplot quiz-restating.gp  (writes quiz-restating.png)
if (!exists("outfile")) outfile = 'quiz-restating.png'
set terminal pngcairo size 800,534 noenhanced font 'Sans,11'
set output outfile
set title 'Copying from the question: quiz answers that restate its two numbers'
set xlabel 'tokens seen (millions)'
set ylabel 'share of held-out quiz answers'
set key outside below center horizontal Left reverse samplen 2 maxcols 1 height 1
set grid
set xrange [0.6144:4.3008]
set yrange [-0.05:1.05]
set style fill transparent solid 0.2 noborder
plot 'quiz-restating.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'restate both numbers (greedy)'
