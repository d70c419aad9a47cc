# Pretraining: loss against tokens seen
# Render from this directory: gnuplot pretraining-loss.gp  (writes pretraining-loss.png)
if (!exists("outfile")) outfile = 'pretraining-loss.png'
set terminal pngcairo size 800,551 noenhanced font 'Sans,11'
set output outfile
set title 'Pretraining: loss against tokens seen'
set xlabel 'tokens seen (millions)'
set ylabel 'cross-entropy (nats/token)'
set key outside below center horizontal Left reverse samplen 2 maxcols 3 height 1
set grid
set xrange [0:4.3008]
set yrange [-0.160203159:8.00281489]
set style fill transparent solid 0.2 noborder
plot 'pretraining-loss.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'training loss', \
     'pretraining-loss.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'validation loss', \
     5.99864264 with lines dt 2 lw 1.5 lc rgb '#333333' title 'unigram baseline', \
     2.50581082 with lines dt 4 lw 1.5 lc rgb '#333333' title 'bigram baseline'
